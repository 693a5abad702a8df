/**
 * What the end of one gst-launch run means for its camera. Pure: the recorder applies
 * the outcome (state, outage, restart delay).
 */
import type { SourceKind } from "./source_url.ts";
import { summarizeError } from "./bus.ts";
import type { RunResult } from "./supervisor.ts";

export type RunOutcome =
  /** The recorder is stopping: no restart. */
  | { kind: "stopped" }
  /** A file source played to its end: start it again at once (it loops), no outage. */
  | { kind: "loop" }
  /** Something was learnt about the stream (codec, audio): restart at once. */
  | { kind: "learnt"; detail: string }
  /** The camera is down: `paused` (no space), `reconnecting` or `failed`. */
  | { kind: "down"; state: "paused" | "reconnecting" | "failed"; error: string };

export interface RunEnd {
  result: RunResult;
  /** Why the recorder ended the run on purpose, if it did. */
  restartReason?: string;
  /** The run's last stderr lines. */
  stderr: string[];
  stopped: boolean;
  sourceKind?: SourceKind;
  /** Asks the stream learner (after the error is known). */
  learn: (error: string) => string | undefined;
  /** Why recording must pause now (e.g. "disk full"), if it must. */
  storageBlocked?: string;
}

/** The error a run ended with, in words (GStreamer's own message when there is one). */
export function runError(end: Pick<RunEnd, "result" | "restartReason" | "stderr">): string {
  const { result } = end;
  return end.restartReason ?? summarizeError(end.stderr) ??
    (result.stalled
      ? "no data from camera (watchdog)"
      : `gst-launch exited (code ${result.code}${result.signal ? `, ${result.signal}` : ""})`);
}

export function runOutcome(end: RunEnd): RunOutcome {
  if (end.stopped) return { kind: "stopped" };
  const { result } = end;
  const onPurpose = end.restartReason !== undefined;
  if (end.sourceKind === "file" && result.code === 0 && result.healthy && !onPurpose) {
    return { kind: "loop" };
  }
  const error = runError(end);
  const learnt = end.learn(error);
  if (learnt) return { kind: "learnt", detail: learnt };
  const blocked = end.storageBlocked ?? (/no space left/i.test(error) ? "disk full" : undefined);
  if (blocked) {
    return { kind: "down", state: "paused", error: `recording paused: ${blocked}; ${error}` };
  }
  return { kind: "down", state: result.healthy ? "reconnecting" : "failed", error };
}
