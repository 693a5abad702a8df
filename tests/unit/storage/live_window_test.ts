/**
 * LiveWindow (src/storage/live_window.ts) on a real temp folder with a scripted
 * monotonic clock: the rolling playlist it writes (window size, media and
 * discontinuity sequences, a fixed target duration), the holes it marks, and when the
 * files that left the window are deleted (RFC 8216 6.2.2) along with their run's folder.
 */
import { exists } from "../../../src/storage/files.ts";
import { join } from "node:path";
import { currentLivePlaylist } from "../../../src/storage/live_playlists.ts";
import { LiveWindow } from "../../../src/storage/live_window.ts";
import { parsePlaylist } from "../../../src/storage/playlist.ts";
import { assert, assertEquals } from "../../support/assert.ts";

const T0 = Date.UTC(2026, 4, 10, 12, 0, 0);

function setup(size = 3, segmentSeconds = 2) {
  const dir = Deno.makeTempDirSync({ prefix: "nvr-live-" });
  const clock = { now: 0 };
  const live = new LiveWindow(dir, size, segmentSeconds, () => clock.now);
  let n = 0;
  /** Writes the next file of `run` and pushes it (start, duration ms). */
  const push = async (run: string, startMs: number, durationMs: number, discontinuity = false) => {
    const path = join(live.runDir(run), `${String(n++).padStart(5, "0")}.ts`);
    Deno.writeFileSync(path, new Uint8Array(188).fill(0x47));
    await live.push(path, startMs, durationMs, discontinuity);
    return path;
  };
  const playlist = () => Deno.readTextFileSync(join(dir, "index.m3u8"));
  return { dir, clock, live, push, playlist };
}

Deno.test("live window: the last `size` segments, the media sequence counting those that left", async () => {
  const { dir, live, push, playlist } = setup(3);
  await live.reset();
  for (let i = 0; i < 5; i++) await push("run1", T0 + i * 2000, 2000);
  const p = parsePlaylist(playlist());
  assertEquals(p.segments.map((s) => s.uri), ["run1/00002.ts", "run1/00003.ts", "run1/00004.ts"]);
  assertEquals(p.segments.map((s) => s.startMs), [T0 + 4000, T0 + 6000, T0 + 8000]);
  assertEquals([p.mediaSequence, p.targetDuration, p.ended], [2, 2, false]);
  assertEquals(live.targetDuration, 2);
  assertEquals(live.segments.length, 3);
  assert(!playlist().includes("#EXT-X-DISCONTINUITY"), "contiguous: no discontinuity");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("live window: a new run and a jump in time are discontinuities; the sequence counts them", async () => {
  const { dir, live, push, playlist } = setup(3);
  await live.reset();
  await push("run1", T0, 2000);
  await push("run1", T0 + 2000, 2000);
  await push("run2", T0 + 4000, 2000, true); // a new run (the recorder says so)
  await push("run2", T0 + 6000 + 400, 2000); // 400 ms late: within GAP_MS, no mark
  await push("run2", T0 + 20_000, 2000); // a hole of 11.6 s
  let p = parsePlaylist(playlist());
  assertEquals(p.segments.map((s) => !!s.discontinuity), [true, false, true]);
  assertEquals(/#EXT-X-DISCONTINUITY-SEQUENCE:(\d+)/.exec(playlist())?.[1] ?? "0", "0");
  // The first discontinuity leaves the window: the discontinuity sequence counts it.
  await push("run2", T0 + 22_000, 2000);
  p = parsePlaylist(playlist());
  assertEquals(p.segments.map((s) => !!s.discontinuity), [false, true, false]);
  assertEquals(/#EXT-X-DISCONTINUITY-SEQUENCE:(\d+)/.exec(playlist())?.[1], "1");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("live window: the target is fixed by the first segment; a longer one is left out and the hole marked", async () => {
  const { dir, live, push, playlist } = setup(4, 2);
  await live.reset();
  await push("run1", T0, 2000);
  const long = await push("run1", T0 + 2000, 4000); // a 4 s GOP in a 2 s playlist
  await push("run1", T0 + 6000, 2000);
  const p = parsePlaylist(playlist());
  assertEquals(p.targetDuration, 2, "never changes");
  assertEquals(p.segments.map((s) => s.uri), ["run1/00000.ts", "run1/00002.ts"]);
  assertEquals(p.segments[1].discontinuity, true, "the hole is marked");
  assert(await exists(long), "the unlisted file stays a while (a recording may link it)");
  // A first segment longer than the configured length sets a larger target.
  const other = setup(4, 1);
  await other.live.reset();
  await other.push("run1", T0, 2600);
  await other.push("run1", T0 + 2600, 1000);
  assertEquals(parsePlaylist(other.playlist()).targetDuration, 3);
  assertEquals(parsePlaylist(other.playlist()).segments.length, 2);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(other.dir, { recursive: true });
});

Deno.test("live window: a segment that left stays fetchable for its duration plus the playlist's, then goes with its run folder", async () => {
  const { dir, clock, live, push } = setup(2);
  await live.reset();
  const first = await push("old", T0, 2000);
  const second = await push("old", T0 + 2000, 2000);
  clock.now = 1000;
  await push("new", T0 + 4000, 2000, true); // `first` leaves: kept until 1000 + 2000 + 4000
  clock.now = 6999;
  await push("new", T0 + 6000, 2000); // `second` leaves: kept until 6999 + 2000 + 4000
  assert(await exists(first), "still fetchable 5999 ms after it left");
  clock.now = 7000;
  await push("new", T0 + 8000, 2000);
  assert(!await exists(first), "deleted once its time is up");
  assert(await exists(second), "the next one waits for its own time");
  assert(await exists(join(dir, "old")), "the run folder stays while one of its files does");
  clock.now = 13_000;
  await push("new", T0 + 10_000, 2000);
  assert(!await exists(second));
  assert(!await exists(join(dir, "old")), "the old run's folder is gone with its last file");
  assert(await exists(join(dir, "new")), "the current run's folder stays");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("live window: reset empties the folder and the window", async () => {
  const { dir, live, push } = setup(3);
  await live.reset();
  const stale = await push("run1", T0, 2000);
  await live.reset();
  assert(
    !await exists(stale) && !await exists(join(dir, "index.m3u8")),
    "nothing left from before",
  );
  assertEquals(live.segments.length, 0);
  assertEquals([...Deno.readDirSync(dir)].length, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("live window: closed (camera stopped), its playlist leaves memory and its file is let go", async () => {
  const { dir, live, push, playlist } = setup(3);
  await live.reset();
  await push("run1", T0, 2000);
  const path = join(dir, "index.m3u8");
  assertEquals(currentLivePlaylist(path)?.text, playlist(), "served from memory while it runs");
  const open = () => [...Deno.readDirSync("/proc/self/fd")].length;
  const before = open();
  live.close();
  assertEquals(currentLivePlaylist(path), undefined, "no longer served from memory");
  assertEquals(open(), before - 1, "the file the entry held open is closed");
  assert(playlist().includes("run1/00000.ts"), "the file on disk stays");
  await Deno.remove(dir, { recursive: true });
});
