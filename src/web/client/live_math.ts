/** The live tile's pure decisions: the socket's URL, the catch-up speed, the down reason. */
import { clock, STATE_LABEL } from "./format.ts";
import type { CameraJson } from "./types.ts";

/** Seconds buffered ahead of the playhead: aimed at, worth playing faster for, worth a jump. */
export const LIVE_TUNING = { target: 0.3, faster: 0.6, jump: 1.5, keepBehind: 4 };

/** The live socket's URL from the camera's live playlist URL (same host, same access rules). */
export function liveSocketUrl(
  streamUrl: string,
  page: string,
  stream: "main" | "sub" | "h264" = "main",
): string {
  const u = besidePlaylist(streamUrl, page, "live.ws");
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  u.search = stream === "main" ? "" : `?stream=${stream}`;
  return u.href;
}

/**
 * The camera's Low-Latency HLS playlist from its live playlist URL: what a browser's own HLS
 * player plays when there is no Media Source Extensions (Safari on iOS before 17.1).
 */
export function llHlsUrl(streamUrl: string, page: string): string {
  return besidePlaylist(streamUrl, page, "ll/index.m3u8").href;
}

/** `name` in place of the camera's live playlist (`…/{gid}/{seq}/hls/index.m3u8`), no query. */
function besidePlaylist(streamUrl: string, page: string, name: string): URL {
  const u = new URL(streamUrl, page);
  u.pathname = u.pathname.replace(/\/(hls\/)?index\.m3u8$/, `/${name}`);
  u.search = "";
  return u;
}

/** A playback speed for the time buffered ahead of the playhead. */
export function catchUpRate(ahead: number): number {
  if (ahead > LIVE_TUNING.faster) return 1.1;
  if (ahead < LIVE_TUNING.target) return 1;
  return 1.05;
}

/** States in which the server keeps trying to reach the camera. */
const RETRYING = new Set(["connecting", "reconnecting", "failed"]);

/** What a tile says while its camera is not up (the raw error goes to a tooltip). */
export function downReason(cam: Pick<CameraJson, "state" | "last_segment_at">): string {
  if (!RETRYING.has(cam.state)) return STATE_LABEL[cam.state] ?? cam.state;
  if (cam.state === "connecting" && !cam.last_segment_at) return "Connecting…";
  const last = cam.last_segment_at ? `, last frame ${clock(Date.parse(cam.last_segment_at))}` : "";
  return `Offline, retrying${last}`;
}
