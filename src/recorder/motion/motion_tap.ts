/**
 * Motion detection on a camera's own child (a RecorderTap, recorder/tap.ts): the branch
 * keeps only the keyframes of the recorded video, decodes them, scales them to a 160x90
 * grey picture and writes each to a small file (multifilesink, a few kept at a time) in
 * `{media}/.motion/{gid}_{seq}/`; the sink's bus message per file tells which frame and
 * its running time. The tap reads the file, runs the detector (detector.ts) and the
 * tracker (tracker.ts), and publishes `motion` events on the hub.
 *
 * Cost: one keyframe decoded per GOP (cheapest measured option; docs/configuration.md
 * "Motion detection"). Latency: an event is known one GOP after its onset (≤ 1 s with a
 * 1 s GOP). The branch drops delta frames before a leaky queue and its decoder never
 * posts an error for a bad frame (`max-errors=-1`, corrupt frames dropped), so it never
 * holds back or stops the recording. Settings are read for every frame (sensitivity, minimum
 * area, masks apply live); `enabled` is read when a run starts (turning it on or off
 * restarts the child).
 */
import { join } from "node:path";
import type { Clock } from "../../clock.ts";
import type { CameraRef, NvrEvent } from "../../events.ts";
import { MOTION_DIR } from "../../storage/layout.ts";
import { prop } from "../pipeline/argv.ts";
import type { RecorderTap, TapRun } from "../tap.ts";
import { MotionDetector } from "./detector.ts";
import { FrameClock } from "./frame_clock.ts";
import { parseFrameMessage } from "./frame_message.ts";
import type { MotionSettings } from "./settings.ts";
import { type MotionChange, MotionTracker } from "./tracker.ts";

export const FRAME_WIDTH = 160;
export const FRAME_HEIGHT = 90;
/** The branch's sink, named so its messages are told from any other. */
export const SINK_NAME = "motion";
/** Frame files kept at a time (read as soon as each is announced). */
const KEEP_FILES = 8;

export interface MotionTapDeps {
  camera: CameraRef;
  mediaRoot: string;
  clock: Clock;
  publish: (event: NvrEvent) => void;
  settings: () => MotionSettings;
  /** The jitter buffer's latency (RTSP sources), taken off frame times. */
  latencyMs: number;
  warn?: (message: string, fields: Record<string, unknown>) => void;
  readFrame?: (path: string) => Promise<Uint8Array>;
}

/** The branch's elements (pure): keyframes only → decoder → 160x90 GRAY8 → files. */
export function motionBranch(codec: TapRun["codec"], dir: string): string[] {
  return [
    "identity",
    "drop-buffer-flags=delta-unit",
    "!",
    "queue",
    "leaky=downstream",
    "max-size-buffers=2",
    "max-size-bytes=0",
    "max-size-time=0",
    "!",
    `avdec_h${codec === "h265" ? "265" : "264"}`,
    // One thread: frame threading would hold a keyframe back until the next (one GOP).
    "max-threads=1",
    "max-errors=-1",
    "output-corrupt=false",
    "!",
    "videoscale",
    "!",
    "videoconvert",
    "!",
    `video/x-raw,format=GRAY8,width=${FRAME_WIDTH},height=${FRAME_HEIGHT}`,
    "!",
    "multifilesink",
    `name=${SINK_NAME}`,
    prop("location", join(dir, "%05d.gray")),
    `max-files=${KEEP_FILES}`,
    "post-messages=true",
    "sync=false",
    "async=false",
  ];
}

export class MotionTap implements RecorderTap {
  readonly dir: string;
  #detector = new MotionDetector(FRAME_WIDTH, FRAME_HEIGHT);
  #tracker = new MotionTracker();
  #clock: FrameClock;
  /** Frames are analysed one at a time, in order. */
  #queue: Promise<void> = Promise.resolve();
  #pending = 0;
  #closed = false;

  constructor(readonly d: MotionTapDeps) {
    this.dir = join(d.mediaRoot, MOTION_DIR, `${d.camera.gid}_${d.camera.seq}`);
    this.#clock = new FrameClock(d.latencyMs);
  }

  branch(run: TapRun): string[] | undefined {
    if (this.#closed || !this.d.settings().enabled) return undefined;
    try {
      Deno.removeSync(this.dir, { recursive: true });
    } catch { /* not there */ }
    try {
      Deno.mkdirSync(this.dir, { recursive: true });
    } catch (err) {
      this.d.warn?.("motion: cannot make the frame folder", { error: String(err) });
      return undefined;
    }
    return motionBranch(run.codec, this.dir);
  }

  runStarted(): void {
    this.#clock.newRun();
  }

  onLine(line: string): void {
    const msg = parseFrameMessage(line, SINK_NAME);
    if (!msg || this.#closed) return;
    const timeMs = this.#clock.frameTime(
      msg.runningTimeNs,
      this.d.clock.now(),
      this.d.clock.monotonic(),
    );
    // Behind by more than the files kept: skip (they are being overwritten).
    if (this.#pending >= KEEP_FILES - 2) return;
    this.#pending++;
    this.#queue = this.#queue
      .then(() => this.#analyse(msg.filename, timeMs))
      .catch((err) => this.d.warn?.("motion: frame not analysed", { error: String(err) }))
      .finally(() => this.#pending--);
  }

  runEnded(): void {
    this.#queue = this.#queue.then(() => this.#emit(this.#tracker.stop()));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.runEnded();
    await this.#queue;
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }

  /** Resolves once every frame announced so far is analysed (tests). */
  settled(): Promise<void> {
    return this.#queue;
  }

  async #analyse(path: string, timeMs: number): Promise<void> {
    let frame: Uint8Array;
    try {
      frame = await (this.d.readFrame ?? Deno.readFile)(path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return; // rotated away already
      throw err;
    }
    if (frame.length !== FRAME_WIDTH * FRAME_HEIGHT || this.#closed) return;
    const settings = this.d.settings();
    const verdict = this.#detector.analyse(frame, timeMs, settings);
    this.#emit(this.#tracker.frame(verdict, settings.minArea));
    if (this.#tracker.relearn) {
      this.#tracker.relearn = false;
      this.#detector.reset();
    }
  }

  #emit(changes: MotionChange[]): void {
    const { gid, seq } = this.d.camera;
    for (const c of changes) {
      this.d.publish({ type: "motion", at: this.d.clock.now(), gid, seq, ...c });
    }
  }
}
