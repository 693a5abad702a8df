/**
 * Recorded days planted in a media root before the recorder starts, as the
 * recorder lays them out ({gid}/{seq}/{date}/{HHMMSS}/{startMs}_{durationMs}.ts).
 * Segments are real H.264 MPEG-TS cut by GStreamer (2 s each, one continuous run);
 * the recorder's catalog rebuilds playlists and summaries from the names at start.
 */
import { join } from "node:path";

export const SEG_MS = 2000;

/**
 * Makes `count` consecutive 2 s segments (`fps`, default 5; 320x180) in a new temp folder.
 * splitmuxsink sometimes hangs at EOS here, so one spare segment is made: once it
 * exists, the first `count` are closed, and a child still running after 5 s is killed.
 */
export async function makeSegments(count: number, fps = 5): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "nvr-ui-segs-" });
  const child = new Deno.Command("gst-launch-1.0", {
    args: [
      "-q",
      "videotestsrc",
      `num-buffers=${(count + 1) * 2 * fps}`,
      "pattern=ball",
      "!",
      `video/x-raw,width=320,height=180,framerate=${fps}/1`,
      "!",
      "x264enc",
      "speed-preset=ultrafast",
      "tune=zerolatency",
      `key-int-max=${2 * fps}`,
      "!",
      "h264parse",
      "!",
      "splitmuxsink",
      "muxer-factory=mpegtsmux",
      "max-size-time=2000000000",
      `location=${join(dir, "s%05d.ts")}`,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  let exited = false;
  child.status.then(() => exited = true);
  const files = () => [...Deno.readDirSync(dir)].map((e) => join(dir, e.name)).sort();
  const deadline = Date.now() + 60_000;
  while (!exited && files().length <= count && Date.now() < deadline) await sleep(100);
  for (let i = 0; i < 50 && !exited; i++) await sleep(100);
  if (!exited) child.kill("SIGKILL");
  await child.status;
  const made = files();
  if (made.length < count) throw new Error(`made ${made.length} of ${count} segments`);
  return made.slice(0, count);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const p2 = (n: number) => String(n).padStart(2, "0");
export const dateOf = (d: Date) => `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;

/** Local `YYYY-MM-DD` of today + `days`. */
export function dayFromToday(days: number): string {
  const d = new Date();
  return dateOf(new Date(d.getFullYear(), d.getMonth(), d.getDate() + days));
}

/** Epoch ms of `HH:MM:SS` local on `date`. */
export function at(date: string, hms: string): number {
  const [y, m, d] = date.split("-").map(Number);
  const [h, mi, s] = hms.split(":").map(Number);
  return new Date(y, m - 1, d, h, mi, s).getTime();
}

/** One session of `count` segments from `start` (HH:MM:SS), hard links of `segs` (cycled). */
export async function plantSession(
  mediaRoot: string,
  gid: number,
  seq: number,
  date: string,
  start: string,
  count: number,
  segs: string[],
): Promise<void> {
  const dir = join(mediaRoot, String(gid), String(seq), date, start.replaceAll(":", ""));
  await Deno.mkdir(dir, { recursive: true });
  const t0 = at(date, start);
  for (let i = 0; i < count; i++) {
    const name = `${String(t0 + i * SEG_MS).padStart(13, "0")}_${SEG_MS}.ts`;
    await Deno.link(segs[i % segs.length], join(dir, name));
  }
}

/** A UI test's end: the browser closed, the recorder stopped, `makeSegments`' folder removed. */
export async function endUiTest(
  browser: { close(): Promise<void> },
  rc: { stop(): Promise<void> },
  segs: string[],
): Promise<void> {
  await browser.close().catch(() => {});
  await rc.stop();
  await Deno.remove(segs[0].replace(/\/[^/]+$/, ""), { recursive: true }).catch(() => {});
}
