/**
 * A synthetic recording history in the recorder's on-disk layout (src/storage/layout.ts):
 * for each camera and day, a few closed sessions with their session.json (what the
 * start-up catalog rebuild reads). One day of camera 1 is complete and playable
 * (playlists + 43,200 two-second segments, all hard links of one real segment), and
 * camera 17 has a one-minute session on that day (the playback baseline).
 */
import { join } from "node:path";
import { localDate, localTimeCompact } from "../src/time.ts";
import { renderPlaylist } from "../src/storage/playlist.ts";
import { segmentFileName } from "../src/storage/layout.ts";

export interface SyntheticSpec {
  cameras: number;
  days: number;
  sessionsPerDay: number;
  /** Write the playable day (camera 1) and the one-minute baseline (camera 17). */
  playable: boolean;
  segmentMs: number;
  segmentBytes: number;
}

export interface Synthetic {
  root: string;
  sessions: number;
  lastDate: string;
  /** Camera with the short (one-minute) recording on lastDate. */
  shortSeq: number;
  playableSegments: number;
}

function dayStart(daysAgo: number): number {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - daysAgo);
  return d.getTime();
}

async function writeSession(
  dir: string,
  startMs: number,
  segments: number,
  segmentMs: number,
  bytes: number,
  reason: string,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const endMs = startMs + segments * segmentMs;
  await Deno.writeTextFile(
    join(dir, "session.json"),
    JSON.stringify({
      startMs,
      endMs,
      segments,
      bytes,
      spans: [[startMs, endMs]],
      open: false,
      closeReason: reason,
    }),
  );
}

/** Playlist + segment files (hard links of `segment`) for a session. */
async function writePlayable(
  dir: string,
  startMs: number,
  segments: number,
  segmentMs: number,
  segment: string,
): Promise<void> {
  const list = Array.from({ length: segments }, (_, i) => {
    const s = { startMs: startMs + i * segmentMs, durationMs: segmentMs };
    return { ...s, uri: segmentFileName(s) };
  });
  await Deno.writeTextFile(
    join(dir, "index.m3u8"),
    renderPlaylist({ targetDuration: 6, type: "VOD", ended: true }, list),
  );
  for (const s of list) await Deno.link(segment, join(dir, s.uri));
}

export async function generate(
  root: string,
  spec: SyntheticSpec,
  segment: string,
): Promise<Synthetic> {
  const media = join(root, "media");
  const perSession = Math.floor(86_400_000 / spec.sessionsPerDay / spec.segmentMs);
  const sessionMs = perSession * spec.segmentMs;
  let sessions = 0;
  const lastDate = localDate(dayStart(1));
  for (let cam = 1; cam <= spec.cameras; cam++) {
    for (let d = spec.days; d >= 1; d--) {
      const day = dayStart(d);
      const date = localDate(day);
      for (let k = 0; k < spec.sessionsPerDay; k++) {
        const start = day + k * sessionMs;
        const dir = join(media, "1", String(cam), date, localTimeCompact(start));
        await writeSession(
          dir,
          start,
          perSession,
          spec.segmentMs,
          perSession * spec.segmentBytes,
          "midnight",
        );
        if (spec.playable && cam === 1 && date === lastDate) {
          await writePlayable(dir, start, perSession, spec.segmentMs, segment);
        }
        sessions++;
      }
    }
  }
  const shortSeq = spec.cameras + 1;
  if (spec.playable) {
    const start = dayStart(1) + 12 * 3600_000;
    const dir = join(media, "1", String(shortSeq), lastDate, localTimeCompact(start));
    const n = Math.round(60_000 / spec.segmentMs);
    await writeSession(dir, start, n, spec.segmentMs, n * spec.segmentBytes, "recording stopped");
    await writePlayable(dir, start, n, spec.segmentMs, segment);
    sessions++;
  }
  return {
    root,
    sessions,
    lastDate,
    shortSeq,
    playableSegments: spec.playable ? perSession * spec.sessionsPerDay : 0,
  };
}

/** One real 2 s segment of the benchmark source, as MPEG-TS. */
export async function makeSegment(clip: string, out: string, fps: number): Promise<string> {
  const res = await new Deno.Command("ffmpeg", {
    args: [
      ...["-nostdin", "-loglevel", "error", "-y", "-framerate", String(fps), "-i", clip],
      ...["-frames:v", String(fps * 2), "-c", "copy", "-f", "mpegts", out],
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!res.success) throw new Error(`ffmpeg: ${new TextDecoder().decode(res.stderr)}`);
  return out;
}
