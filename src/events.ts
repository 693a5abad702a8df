/**
 * The recorder's own events, in one place: what happened to a camera, to storage and in
 * front of a camera (motion). Parts publish on one `EventHub`; whoever cares (the motion
 * event store, MQTT, webhooks, …) subscribes. Publishing never waits for or fails
 * because of a subscriber: recording never depends on who listens.
 *
 * @example
 * ```ts
 * const hub = new EventHub();
 * const off = hub.on((e) => { if (e.type === "motion") console.log(e.phase, e.event.id); });
 * hub.publish({ type: "camera_offline", at: Date.now(), gid: 1, seq: 1, reason: "timeout" });
 * off();
 * ```
 */

/** A camera, as events name it. */
export interface CameraRef {
  gid: number;
  seq: number;
}

/** One motion event of a camera (times in epoch ms; `end` undefined while it lasts). */
export interface MotionEventData {
  /** Unique per camera, stable across restarts (e.g. `20261201-140502-000`). */
  id: string;
  start: number;
  end?: number;
  /** Peak motion score, 0–1 (the largest fraction of the picture that changed). */
  score: number;
  /** Bounding box of the motion, normalized 0–1: [x, y, width, height]. */
  box: [number, number, number, number];
  /** When the score peaked (epoch ms): the event's thumbnail shows this moment. */
  peak?: number;
}

export type NvrEvent =
  /** A camera's state changed (recorder/camera_status.ts `CAMERA_STATES`). */
  | CameraRef & {
    type: "camera_state";
    at: number;
    state: string;
    isRec: 0 | 1;
    lastSegmentAt?: number;
    lastError?: string;
  }
  /** A camera stopped producing (outage opened) or came back (outage closed). */
  | CameraRef & { type: "camera_offline"; at: number; reason: string }
  | CameraRef & { type: "camera_online"; at: number }
  /** Cameras added, changed (name, group, source) or deleted through the API. */
  | CameraRef & { type: "camera_added"; at: number; name?: string }
  | CameraRef & { type: "camera_removed"; at: number }
  /** Motion starts (`phase: "start"`), grows (`"update"`, score or box) or ends. */
  | CameraRef & {
    type: "motion";
    at: number;
    phase: "start" | "update" | "end";
    event: MotionEventData;
  }
  /** Recording paused for storage (disk full) and resumed. */
  | { type: "recording_paused"; at: number; reason: string }
  | { type: "recording_resumed"; at: number }
  | { type: "storage_low"; at: number; freeBytes: number };

export type NvrEventType = NvrEvent["type"];
export type Listener = (event: NvrEvent) => void;

export class EventHub {
  #listeners = new Set<Listener>();
  #onError: (err: unknown) => void;

  /** `onError` hears what a listener threw (default: ignored after a console warning). */
  constructor(onError?: (err: unknown) => void) {
    this.#onError = onError ?? ((err) => console.warn("event listener failed:", err));
  }

  /** Subscribes; returns the function that unsubscribes. */
  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Hands `event` to every listener, synchronously; a listener's error is reported, not thrown. */
  publish(event: NvrEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.#onError(err);
      }
    }
  }

  get listeners(): number {
    return this.#listeners.size;
  }
}
