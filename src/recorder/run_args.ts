/**
 * What each run of one camera's child is built from: the source (a file source confined
 * and resolved again every run), what was learnt of its stream, the per-camera options
 * (read again every run), and the timings that follow from the segment length.
 */
import { join } from "node:path";
import { resolveFileSource } from "./file_source.ts";
import { buildPipelineArgs, type Codec } from "./pipeline.ts";
import type { Source } from "./source_url.ts";
import type { StreamLearner } from "./stream_learner.ts";
import type { SourceOptions } from "./camera_status.ts";
import type { RecorderTap, TapRun } from "./tap.ts";

export interface RunArgsDeps {
  segmentSeconds: number;
  latencyMs: number;
  options?: () => SourceOptions | undefined;
  fileRoot?: string;
  /** Features fed from this camera's child (motion, low-latency live): one branch each. */
  taps?: RecorderTap[];
}

/** How long a child may go without a segment event before the supervisor kills it. */
export function stallMs(segmentSeconds: number): number {
  return Math.max(15_000, segmentSeconds * 1000 * 3 + 8_000);
}

export class RunArgs {
  /** What the current run's segments hold, e.g. `h264+aac`. */
  tracks = "";
  /** The current run, as taps see it. */
  run?: TapRun;

  constructor(
    readonly source: Source,
    readonly stream: StreamLearner,
    readonly d: RunArgsDeps,
  ) {}

  /**
   * The argv of the next run. `newRunDir` starts the run and names its folder; it is
   * called once the source is known to be allowed (a refused file source throws first).
   */
  build(newRunDir: () => string): string[] {
    const { segmentSeconds, latencyMs } = this.d;
    const source = this.#runSource();
    const streams = this.#newRunStreams();
    const runDir = newRunDir();
    this.run = { codec: this.codec(), runDir };
    const branches = (this.d.taps ?? []).flatMap((tap) => {
      const branch = tap.branch(this.run!);
      return branch ? [branch] : [];
    });
    return buildPipelineArgs({
      source,
      ...streams,
      branches,
      locationPattern: join(runDir, "%05d.ts"),
      segmentSeconds,
      latencyMs,
      watchdogMs: Math.max(5000, segmentSeconds * 1000 * 2 + 4000),
      ...this.d.options?.(),
    });
  }

  /** The codec of the recorded video: the camera's, or H.264 where we encode (overlay, test, MJPEG). */
  codec(): Codec {
    const encoded = this.d.options?.()?.mode === "overlay" || !this.stream.learns;
    return encoded ? "h264" : this.stream.codec;
  }

  /** The source of the next run: a file source is confined and resolved (throws if not allowed). */
  #runSource(): Source {
    const s = this.source;
    if (s.kind !== "file") return s;
    return { ...s, location: resolveFileSource(this.d.fileRoot, s.location) };
  }

  /**
   * The streams the next run records (what the camera was learnt to send). A run that
   * restarts to pick up a newly learnt stream is discarded: its first, partial segment
   * would otherwise start a session with other tracks than the rest.
   */
  #newRunStreams() {
    const run = this.stream.newRun();
    this.tracks = `${this.codec()}${run.audio ? "+aac" : ""}`;
    return run;
  }
}
