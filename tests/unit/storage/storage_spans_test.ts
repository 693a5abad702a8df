import { assertEquals } from "../../support/assert.ts";
import { join } from "node:path";
import { appendArchiveIndex } from "../../../src/storage/archive_index.ts";
import { sessionDir } from "../../../src/storage/layout.ts";
import { renderPlaylist } from "../../../src/storage/playlist.ts";
import type { SessionSummary } from "../../../src/storage/session.ts";
import { StorageMap, storageSpans, whereOf, withTail } from "../../../src/storage/storage_spans.ts";
import { spansOf } from "../../../src/web/client/timeline_math.ts";
import type { SessionJson } from "../../../src/web/client/types.ts";

const T0 = 1_760_000_000_000;
const seg = (i: number, gapMs = 0) => ({
  name: `${T0 + i * 2000 + gapMs}_2000.ts`,
  startMs: T0 + i * 2000 + gapMs,
  durationMs: 2000,
});

Deno.test("storage spans: a stretch per storage, split where the times jump", () => {
  const segs = [seg(0), seg(1), seg(2), seg(3), seg(4, 10_000)];
  const archived = new Set(segs.slice(0, 3).map((s) => s.name));
  const local = new Set(segs.slice(2).map((s) => s.name));
  assertEquals(whereOf(segs[2].name, local, archived), "both");
  assertEquals(storageSpans(segs, local, archived), [
    { startMs: T0, endMs: T0 + 4000, where: "archive" },
    { startMs: T0 + 4000, endMs: T0 + 6000, where: "both" },
    { startMs: T0 + 6000, endMs: T0 + 8000, where: "local" },
    { startMs: T0 + 18_000, endMs: T0 + 20_000, where: "local" },
  ]);
});

Deno.test("storage map: reads the session's playlist, files and archive index", async () => {
  const root = await Deno.makeTempDir();
  try {
    const s: SessionSummary = {
      gid: 1,
      seq: 2,
      date: "2025-10-09",
      time: "101010",
      startMs: T0,
      endMs: T0 + 8000,
      segments: 4,
      bytes: 4,
      spans: [[T0, T0 + 8000]],
      open: false,
    };
    const map = new StorageMap(root);
    // No index: all local, from the summary.
    assertEquals(await map.of(s), [{ startMs: T0, endMs: T0 + 8000, where: "local" }]);
    const dir = sessionDir(root, 1, 2, s.date, s.time);
    await Deno.mkdir(dir, { recursive: true });
    const segs = [0, 1, 2, 3].map((i) => seg(i));
    await Deno.writeTextFile(
      join(dir, "index.m3u8"),
      renderPlaylist(
        { targetDuration: 6, ended: true },
        segs.map((x) => ({ ...x, uri: x.name })),
      ),
    );
    for (const x of segs.slice(1)) await Deno.writeFile(join(dir, x.name), new Uint8Array(1));
    await appendArchiveIndex(dir, {
      key: "k",
      size: 2,
      md5: "",
      segments: segs.slice(0, 2).map((x, i) => ({ name: x.name, offset: i, bytes: 1 })),
    });
    assertEquals(await map.of(s), [
      { startMs: T0, endMs: T0 + 2000, where: "archive" },
      { startMs: T0 + 2000, endMs: T0 + 4000, where: "both" },
      { startMs: T0 + 4000, endMs: T0 + 8000, where: "local" },
    ]);
    // Evicting a file changes the answer (the cache follows the folder).
    await Deno.remove(join(dir, segs[1].name));
    assertEquals((await map.of(s))[0], { startMs: T0, endMs: T0 + 4000, where: "archive" });
    // An open session that grew is not read again for a while: its new recording is local.
    const grown = { ...s, open: true, segments: 5, endMs: T0 + 10_000, spans: [[T0, T0 + 10_000]] };
    await map.of({ ...s, open: true });
    await Deno.remove(join(dir, segs[2].name)); // (not seen until the reuse ends)
    assertEquals((await map.of(grown as SessionSummary)).at(-1), {
      startMs: T0 + 4000,
      endMs: T0 + 10_000,
      where: "local",
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("timeline spans follow the storage stretches when the server gives them", () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  const s: SessionJson = {
    time: "101010",
    start: iso(T0),
    end: iso(T0 + 8000),
    spans: [[iso(T0), iso(T0 + 8000)]],
    segments: 4,
    bytes: 1,
    open: false,
    close_reason: null,
    record_url: "",
    storage: [
      { start: iso(T0), end: iso(T0 + 4000), where: "archive" },
      { start: iso(T0 + 4000), end: iso(T0 + 8000), where: "local" },
    ],
  };
  assertEquals(spansOf([s]).map((x) => [x.start - T0, x.end - T0, x.where]), [
    [0, 4000, "archive"],
    [4000, 8000, "local"],
  ]);
  assertEquals(spansOf([{ ...s, storage: undefined }]).map((x) => x.where), [undefined]);
});

Deno.test("storage spans: an open session's recent recording is added as local", () => {
  const spans = [
    { startMs: T0, endMs: T0 + 4000, where: "archive" as const },
    { startMs: T0 + 4000, endMs: T0 + 8000, where: "local" as const },
  ];
  // It went on recording, then after a gap recorded again.
  assertEquals(withTail(spans, [[T0, T0 + 12_000], [T0 + 20_000, T0 + 22_000]]), [
    spans[0],
    { startMs: T0 + 4000, endMs: T0 + 12_000, where: "local" },
    { startMs: T0 + 20_000, endMs: T0 + 22_000, where: "local" },
  ]);
  assertEquals(withTail(spans, [[T0, T0 + 8000]]), spans);
  // After an archive-only stretch, a new local one.
  assertEquals(withTail([spans[0]], [[T0, T0 + 6000]]).at(-1), {
    startMs: T0 + 4000,
    endMs: T0 + 6000,
    where: "local",
  });
});
