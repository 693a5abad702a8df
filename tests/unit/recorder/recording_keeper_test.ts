/**
 * RecordingKeeper (src/recorder/recording_keeper.ts) on a real temp media root: which
 * closed segments it keeps (pre-roll on, the segment holding the stop), the sessions it
 * opens and closes (midnight, tracks changed, clock stepped back, a GOP over the target)
 * and what it hands the catalog.
 */
import { join } from "node:path";
import { createLogger } from "../../../src/log.ts";
import { RecordingKeeper } from "../../../src/recorder/recording_keeper.ts";
import { Catalog } from "../../../src/storage/catalog.ts";
import { parsePlaylist } from "../../../src/storage/playlist.ts";
import { assert, assertEquals } from "../../support/assert.ts";

const GID = 1, SEQ = 2;

function setup(wanted = false) {
  const root = Deno.makeTempDirSync({ prefix: "nvr-keeper-" });
  const catalog = new Catalog(root);
  const logs: string[] = [];
  const keeper = new RecordingKeeper({
    mediaRoot: root,
    gid: GID,
    seq: SEQ,
    segmentSeconds: 2,
    catalog,
    log: createLogger("json", {}, (l) => logs.push(l)),
  }, wanted);
  const live = join(root, "live");
  Deno.mkdirSync(live);
  let n = 0;
  /** A closed live segment (a real file the session links), added to the keeper. */
  const add = async (startMs: number, durationMs = 2000, tracks = "h264", newRun = false) => {
    const location = join(live, `${n++}.ts`);
    Deno.writeFileSync(location, new Uint8Array(188 * 4).fill(0x47));
    await keeper.add({ location, startMs, durationMs, newRun }, 188 * 4, tracks);
  };
  return { root, catalog, keeper, logs, add };
}

const local = (h: number, m: number, s: number, day = 10) =>
  new Date(2026, 4, day, h, m, s).getTime();

Deno.test("keeper: keeps while wanted and the segment holding the stop; then closes", async () => {
  const { root, catalog, keeper, add } = setup(false);
  const t = local(12, 0, 0);
  assertEquals(keeper.keeps(t), false, "off: nothing kept");
  assertEquals(keeper.set(false, t), undefined, "turning off with no session closes nothing");
  keeper.set(true, t + 1000);
  assert(keeper.keeps(t), "on: the segment being written is kept (pre-roll)");
  await add(t);
  await add(t + 2000);
  assertEquals(keeper.current?.segments, 2);
  const closing = keeper.set(false, t + 4500);
  assertEquals(closing?.segments, 2, "the session turning off will close");
  assertEquals(keeper.current, undefined, "no current session while it closes");
  assert(keeper.closing);
  assert(keeper.keeps(t + 4000), "the segment holding the stop is kept");
  assert(!keeper.keeps(t + 6000), "the one after it is not");
  await add(t + 4000);
  const closed = await keeper.close("recording stopped");
  assertEquals([closed?.segments, closed?.open, closed?.closeReason], [
    3,
    false,
    "recording stopped",
  ]);
  assert(!keeper.closing);
  const sessions = catalog.sessions(GID, SEQ, "2026-05-10");
  assertEquals(sessions.length, 1);
  assertEquals([sessions[0].time, sessions[0].segments, sessions[0].open], ["120000", 3, false]);
  const playlist = Deno.readTextFileSync(
    join(root, "1", "2", "2026-05-10", "120000", "index.m3u8"),
  );
  const p = parsePlaylist(playlist);
  assertEquals(p.segments.map((s) => s.startMs), [t, t + 2000, t + 4000]);
  assert(p.ended, "closed with ENDLIST");
  assertEquals(await keeper.close("again"), undefined, "closing twice is a no-op");
  await Deno.remove(root, { recursive: true });
});

Deno.test("keeper: turning on again before the last segment keeps the session open", async () => {
  const { root, catalog, keeper, add } = setup(true);
  const t = local(12, 0, 0);
  await add(t);
  keeper.set(false, t + 2500);
  keeper.set(true, t + 3000);
  assert(!keeper.closing, "the pending stop is cancelled");
  await add(t + 2000);
  await add(t + 4000);
  assertEquals(keeper.current?.segments, 3);
  assertEquals(catalog.sessions(GID, SEQ, "2026-05-10").length, 1);
  await keeper.close("recording stopped");
  await Deno.remove(root, { recursive: true });
});

Deno.test("keeper: a new session at midnight, on a change of tracks, after a clock step back, for a GOP over the target", async () => {
  const { root, catalog, keeper, add, logs } = setup(true);
  const t = local(23, 59, 56);
  await add(t);
  await add(t + 2000);
  await add(t + 4000); // 00:00:00 the next day
  let before = catalog.sessions(GID, SEQ, "2026-05-10");
  assertEquals(before.map((s) => [s.segments, s.closeReason]), [[2, "midnight"]]);
  assertEquals(catalog.sessions(GID, SEQ, "2026-05-11").map((s) => s.time), ["000000"]);

  await add(t + 6000, 2000, "h264+aac");
  await add(t + 8000, 2000, "h264+aac");
  await add(t + 4000 + 3000, 2000, "h264+aac"); // the wall clock stepped back 3 s
  await add(t + 12_000, 8000, "h264+aac"); // an 8 s GOP: over the session target (6 s)
  await keeper.close("recording stopped");
  const next = catalog.sessions(GID, SEQ, "2026-05-11");
  assertEquals(next.map((s) => s.closeReason), [
    "tracks changed (h264 → h264+aac)",
    "clock stepped back",
    "segment longer than the target duration",
    "recording stopped",
  ]);
  assertEquals(next.map((s) => s.segments), [1, 2, 1, 1]);
  before = catalog.sessions(GID, SEQ, "2026-05-10");
  assertEquals(before.length, 1, "the previous day is untouched");
  assertEquals(logs.filter((l) => l.includes("recording session opened")).length, 5);
  await Deno.remove(root, { recursive: true });
});

Deno.test("keeper: prune reaches only the open session it names", async () => {
  const { root, keeper, add } = setup(true);
  const t = local(12, 0, 0);
  await add(t);
  await add(t + 2000);
  await add(t + 4000);
  assertEquals(await keeper.prune("2026-05-10", "110000", new Set(["x.ts"])), undefined);
  assertEquals(await keeper.prune("2026-05-09", "120000", new Set(["x.ts"])), undefined);
  const dir = join(root, "1", "2", "2026-05-10", "120000");
  const first = parsePlaylist(Deno.readTextFileSync(join(dir, "index.m3u8"))).segments[0].uri;
  const result = await keeper.prune("2026-05-10", "120000", new Set([first]));
  assert(result, "the open session was pruned");
  const left = parsePlaylist(Deno.readTextFileSync(join(dir, "index.m3u8"))).segments;
  assertEquals(left.map((s) => s.startMs), [t + 2000, t + 4000]);
  await keeper.close("recording stopped");
  assertEquals(await keeper.prune("2026-05-10", "120000", new Set([first])), undefined, "closed");
  await Deno.remove(root, { recursive: true });
});

Deno.test("keeper: pruning the middle of the open session closes it first; a prefix keeps it open", async () => {
  const { root, catalog, keeper, add } = setup(true);
  const t = local(12, 0, 0);
  for (let i = 0; i < 6; i++) await add(t + i * 2000);
  const s = keeper.current!;
  const dir = join(root, String(GID), String(SEQ), s.date, s.time);
  const names = () => parsePlaylist(Deno.readTextFileSync(join(dir, "index.m3u8"))).segments;
  const first = names()[0].uri;
  const r1 = await keeper.prune(s.date, s.time, new Set([first]));
  assertEquals([r1?.deleted, keeper.current?.time], [1, s.time], "a prefix: still open");
  assertEquals(parsePlaylist(Deno.readTextFileSync(join(dir, "index.m3u8"))).mediaSequence, 1);
  // Segments 2 and 3 of 1..5 (a quiet middle): a live playlist may not lose them in place.
  const middle = new Set(names().slice(1, 3).map((x) => x.uri));
  const r2 = await keeper.prune(s.date, s.time, middle);
  assertEquals(r2?.deleted, 2);
  assertEquals(keeper.current, undefined, "the session was closed");
  const parsed = parsePlaylist(Deno.readTextFileSync(join(dir, "index.m3u8")));
  assertEquals([parsed.segments.length, parsed.ended], [3, true]);
  assertEquals(catalog.sessions(GID, SEQ, s.date)[0].closeReason, "split for retention");
  await add(t + 12_000);
  assert(keeper.current && keeper.current.time !== s.time, "the next segment opens a new session");
  await Deno.remove(root, { recursive: true });
});
