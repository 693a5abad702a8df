/** Small formatting helpers shared by the islands (pure). */
import { contractTimestamp, localTime } from "../../time.ts";
import type { CameraState } from "./types.ts";

const p2 = (n: number) => String(n).padStart(2, "0");

/** `HH:MM:SS` in local time. */
export const clock = localTime;

/** `YYYY-MM-DD HH:MM:SS` in local time. */
export const stamp = contractTimestamp;

/** A duration as `1h 05m`, `4m 10s` or `12s`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${p2(Math.floor((s % 3600) / 60))}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${p2(s % 60)}s`;
  return `${s}s`;
}

export function bytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  return `${Math.round(n / 1e3)} kB`;
}

/** Human words for each camera state (a state added on the server must be named here). */
export const STATE_LABEL: Record<CameraState, string> = {
  connecting: "Connecting",
  streaming: "Live",
  recording: "Recording",
  reconnecting: "Reconnecting",
  failed: "Failed",
  paused: "Paused (disk full)",
  stopped: "Stopped",
};
