/** The hub events (events.ts) that a camera's change of state makes. Pure. */
import type { CameraRef, NvrEvent } from "../events.ts";
import type { CameraMachine } from "./camera_state.ts";

export function stateEvents(
  cam: CameraRef,
  c: Pick<CameraMachine, "state" | "lastError" | "lastSegmentAt">,
  change: { at: number; outage: "start" | "end" | undefined; isRec: boolean },
): NvrEvent[] {
  const { gid, seq } = cam;
  const { at, outage } = change;
  const events: NvrEvent[] = [{
    type: "camera_state",
    at,
    gid,
    seq,
    state: c.state,
    isRec: change.isRec ? 1 : 0,
    lastSegmentAt: c.lastSegmentAt,
    lastError: c.lastError,
  }];
  if (outage === "start") {
    events.push({ type: "camera_offline", at, gid, seq, reason: c.lastError ?? c.state });
  } else if (outage === "end") events.push({ type: "camera_online", at, gid, seq });
  return events;
}
