/**
 * Playlist text, the work done per closed segment and per playlist request: the live window
 * (re-rendered at every segment, and its write), a session playlist (rendered at repair,
 * parsed for every day and export playlist), and a day playlist (sessions joined into one
 * timeline, then rendered). `deno task bench:micro`; results in bench/RESULTS.md.
 */
import { join } from "node:path";
import { segmentFileName } from "../../src/storage/layout.ts";
import { LiveWindow } from "../../src/storage/live_window.ts";
import {
  parsePlaylist,
  type PlaylistSegment,
  renderHeader,
  renderPlaylist,
  renderSegment,
} from "../../src/storage/playlist.ts";
import { joinTimeline } from "../../src/storage/timeline.ts";

const SEGMENT_MS = 2000;
const DAY0 = Date.UTC(2026, 11, 1);

/** `n` back-to-back 2 s segments from `startMs` (a jitter of a few ms, as recorded). */
function segments(startMs: number, n: number): PlaylistSegment[] {
  return Array.from({ length: n }, (_, i) => {
    const s = { startMs: startMs + i * SEGMENT_MS + (i % 3), durationMs: SEGMENT_MS - 1 + (i % 3) };
    return { ...s, uri: segmentFileName(s) };
  });
}

const live = segments(DAY0, 6);
const hour = segments(DAY0, 1800);
const hourText = renderPlaylist({ targetDuration: 6, type: "VOD", ended: true }, hour);
/** A day of 4 sessions of 6 h (43,200 segments), with a short gap between sessions. */
const day = Array.from({ length: 4 }, (_, k) => segments(DAY0 + k * 6 * 3600_000 + 3000, 10_799));

Deno.bench("live window: render the 6-segment playlist", { group: "live" }, () => {
  renderPlaylist({ targetDuration: 2, mediaSequence: 1234, discontinuitySequence: 3 }, live);
});

const dir = await Deno.makeTempDir({ prefix: "nvr-micro-live-" });
const window = new LiveWindow(dir, 6, 2);
window.runDir("r1");
let n = 0;
Deno.bench("live window: push one segment (render + atomic write)", { group: "live" }, async () => {
  const startMs = DAY0 + n++ * SEGMENT_MS;
  await window.push(join(dir, "r1", `${n}.ts`), startMs, SEGMENT_MS, false);
});

Deno.bench("session playlist: render 1 h (1,800 segments)", { group: "session" }, () => {
  renderPlaylist({ targetDuration: 6, type: "VOD", ended: true }, hour);
});

Deno.bench("session playlist: parse 1 h (1,800 segments)", { group: "session" }, () => {
  parsePlaylist(hourText);
});

Deno.bench("day playlist: joinTimeline, 4 sessions (43,196 segments)", { group: "day" }, () => {
  joinTimeline(day);
});

Deno.bench("day playlist: join + render (43,196 segments)", { group: "day" }, () => {
  const joined = joinTimeline(day);
  renderHeader({ targetDuration: 6, type: "VOD", ended: true }) +
    joined.map(renderSegment).join("");
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
