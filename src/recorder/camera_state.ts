/**
 * One camera's state machine, pure: `transition(camera, event)` returns the camera's
 * next state and the effects the recorder must carry out. The recorder turns child
 * runs, bus lines, stored segments and API calls into events; nothing here touches a
 * process, a file or a clock (times come in with the events).
 *
 * | event            | from                    | to                                          |
 * | ---------------- | ----------------------- | ------------------------------------------- |
 * | `source-invalid` | any                     | `failed` (no run will ever start)           |
 * | `run-started`    | any                     | `connecting`                                |
 * | `playing`        | any                     | (same; the camera has started)              |
 * | `segment-opened` | any                     | `streaming`, `recording`, or `paused` (the  |
 * |                  |                         | disk is blocked while recording is wanted)  |
 * | `segment-stored` | any                     | (same; counts the segment)                  |
 * | `disk-blocked`   | any                     | `paused`                                    |
 * | `storage-failed` | any                     | `paused` (disk full) or `failed`            |
 * | `run-ended`      | any                     | `reconnecting`, `failed` or `paused` when   |
 * |                  |                         | the camera is down; the same after a loop,  |
 * |                  |                         | a learnt stream or a stop                   |
 * | `recording` on   | `streaming`             | `recording`, or `paused` (disk blocked)     |
 * | `recording` off  | `recording`, `paused`   | `streaming`                                 |
 * | `stopped`        | any                     | `stopped`                                   |
 *
 * `stopped` is final: every later event (a line from the child being stopped, a segment
 * still in the queue) leaves the camera as it is and asks for nothing. `recording` in
 * any other state only records what is wanted: the next opened segment applies it.
 */
import type { RunOutcome } from "./run_outcome.ts";
import type { CameraState } from "./camera_status.ts";

/** What the state machine knows of a camera (the state part of its status). */
export interface CameraMachine {
  state: CameraState;
  /** When the state last changed (wall ms). */
  since: number;
  lastError?: string;
  /** Runs that ended with the camera down. */
  reconnects: number;
  /** The pipeline reached PLAYING or failed with a recorded reason at least once. */
  started: boolean;
  /** Segments stored, and the wall end of the last one. */
  segments: number;
  lastSegmentAt?: number;
  /** Recording is wanted (the schedule or the API turned it on). */
  wanted: boolean;
}

export type CameraEvent =
  /** The source address cannot be used (parsed at construction). */
  | { type: "source-invalid"; at: number; error: string }
  /** The supervisor spawned a child. */
  | { type: "run-started"; at: number }
  /** The pipeline reached PLAYING. */
  | { type: "playing"; at: number }
  /** splitmuxsink opened a segment; `blocked`: why recording must pause now, if it must. */
  | { type: "segment-opened"; at: number; blocked?: string }
  /** A closed segment was listed live (and kept, if it was to be); `endMs`: its wall end. */
  | { type: "segment-stored"; at: number; endMs: number }
  /** A segment that was to be kept was not: the disk is blocked for `reason`. */
  | { type: "disk-blocked"; at: number; reason: string }
  /** Storing a segment threw `error`. */
  | { type: "storage-failed"; at: number; error: string }
  /**
   * A run ended (see run_outcome.ts). `delayMs`: the supervisor's backoff; `code`: the
   * child's exit code (for the log).
   */
  | { type: "run-ended"; at: number; outcome: RunOutcome; delayMs: number; code: number }
  /**
   * Recording turned on or off. `blocked`: as in segment-opened; `closing`: turning it off
   * leaves a session waiting for its last segment; `writing`: a segment is being written.
   */
  | {
    type: "recording";
    at: number;
    on: boolean;
    blocked?: string;
    closing: boolean;
    writing: boolean;
  }
  /** The recorder is stopping (camera deleted, or shutdown). */
  | { type: "stopped"; at: number };

export type CameraEffect =
  /** The state changed: record it in the outage log with this reason. */
  | { type: "state-changed"; state: CameraState; at: number; reason: string }
  /** Tell the supervisor: start the next run after `delayMs`, or never (undefined). */
  | { type: "restart"; delayMs: number | undefined }
  /** Close the session now: no segment will come to close it (the camera is down). */
  | { type: "close-session" }
  | { type: "log"; level: "info" | "warn"; message: string; fields: Record<string, unknown> };

export interface Transition {
  camera: CameraMachine;
  effects: CameraEffect[];
}

/** A camera that has not run yet. */
export function initialCamera(at: number, wanted: boolean): CameraMachine {
  return { state: "connecting", since: at, reconnects: 0, segments: 0, started: false, wanted };
}

/** The state of a camera that delivers segments. */
export function upState(wanted: boolean, blocked: string | undefined): CameraState {
  if (!wanted) return "streaming";
  return blocked ? "paused" : "recording";
}

export function transition(camera: CameraMachine, event: CameraEvent): Transition {
  if (camera.state === "stopped") return { camera, effects: [] };
  const next = { ...camera };
  const effects: CameraEffect[] = [];
  const to = (state: CameraState, error?: string) =>
    effects.push(...setState(next, state, event.at, error));
  switch (event.type) {
    case "source-invalid":
      to("failed", event.error);
      next.started = true;
      break;
    case "run-started":
      to("connecting");
      break;
    case "playing":
      next.started = true;
      break;
    case "segment-opened": {
      next.started = true;
      const blocked = next.wanted ? event.blocked : undefined;
      to(upState(next.wanted, blocked), blocked ? `recording paused: ${blocked}` : undefined);
      break;
    }
    case "segment-stored":
      next.segments++;
      next.lastSegmentAt = event.endMs;
      break;
    case "disk-blocked":
      to("paused", `recording paused: ${event.reason}`);
      break;
    case "storage-failed": {
      const full = /no space left|ENOSPC|quota/i.test(event.error);
      to(
        full ? "paused" : "failed",
        full ? "recording paused: disk full" : `storage: ${event.error}`,
      );
      break;
    }
    case "run-ended":
      effects.push(...runEnded(next, event));
      break;
    case "recording":
      next.wanted = event.on;
      if (event.on && next.state === "streaming") to(upState(true, event.blocked));
      if (!event.on && (next.state === "recording" || next.state === "paused")) to("streaming");
      // A camera that is down would never close the session: close it now.
      if (!event.on && event.closing && !event.writing) effects.push({ type: "close-session" });
      break;
    case "stopped":
      to("stopped");
      break;
  }
  return { camera: next, effects };
}

function runEnded(
  camera: CameraMachine,
  event: Extract<CameraEvent, { type: "run-ended" }>,
): CameraEffect[] {
  const { outcome } = event;
  switch (outcome.kind) {
    case "stopped":
      return [{ type: "restart", delayMs: undefined }];
    case "loop":
      return [{ type: "restart", delayMs: 0 }];
    case "learnt":
      return [
        {
          type: "log",
          level: "info",
          message: "camera stream learnt",
          fields: { detail: outcome.detail },
        },
        { type: "restart", delayMs: 100 },
      ];
  }
  camera.reconnects++;
  camera.started = true;
  return [
    ...setState(camera, outcome.state, event.at, outcome.error),
    {
      type: "log",
      level: "warn",
      message: "camera pipeline ended",
      fields: { error: outcome.error, code: event.code, restartInMs: event.delayMs },
    },
    { type: "restart", delayMs: event.delayMs },
  ];
}

/** Moves `camera` (a copy being built) to `state`; `error` becomes its last error. */
function setState(
  camera: CameraMachine,
  state: CameraState,
  at: number,
  error?: string,
): CameraEffect[] {
  const effects: CameraEffect[] = [];
  if (state !== camera.state) {
    const reason = error ??
      (state === "stopped" ? "recorder stopped" : camera.lastError ?? state);
    camera.state = state;
    camera.since = at;
    effects.push({ type: "state-changed", state, at, reason });
  }
  if (error !== undefined) camera.lastError = error;
  return effects;
}
