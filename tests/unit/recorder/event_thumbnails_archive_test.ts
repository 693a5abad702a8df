/**
 * An event thumbnail whose segment left the disk once archived: made from a temporary copy of
 * the archived bytes (removed afterwards), as from the local file.
 */
import { join } from "node:path";
import { createLogger } from "../../../src/log.ts";
import { EventThumbnails } from "../../../src/recorder/event_thumbnails.ts";
import { Catalog } from "../../../src/storage/catalog.ts";
import { EventStore } from "../../../src/storage/event_store.ts";
import { RecordingSession } from "../../../src/storage/session.ts";
import { assert, assertEquals } from "../../support/assert.ts";

const T0 = new Date(2026, 4, 10, 10, 0, 0).getTime();
const JPEG = new Uint8Array([0xff, 0xd8, 1, 2, 0xff, 0xd9]);

Deno.test("event thumbnail: an archive-only segment is decoded from a copy of its archived bytes", async () => {
  const root = await Deno.makeTempDir();
  try {
    const src = join(root, "src.ts");
    Deno.writeFileSync(src, new Uint8Array(1000).fill(0x47));
    const s = await RecordingSession.open(root, 1, 1, T0, 2);
    for (let i = 0; i < 3; i++) await s.append(src, T0 + i * 2000, 2000, false);
    await s.close("recording stopped");
    const peakName = `${T0 + 2000}_2000.ts`;
    Deno.removeSync(join(s.dir, peakName)); // evicted: only in the archive now
    const catalog = new Catalog(root);
    await catalog.rebuild();
    const store = new EventStore(root, { now: () => T0 + 60_000 });
    const box = [0, 0, 1, 1] as [number, number, number, number];
    const event = { id: "e1", start: T0 + 2100, end: T0 + 3000, score: 0.2, box, peak: T0 + 2500 };
    store.record(1, 1, "start", T0 + 2100, { ...event, end: undefined });
    store.record(1, 1, "end", T0 + 3000, event);
    const archivedBytes = new Uint8Array(500).fill(0x47).map((v, i) => (i % 188 ? 7 : v));
    const asked: string[] = [];
    const seen: Uint8Array[] = [];
    const thumbs = new EventThumbnails({
      mediaRoot: root,
      store,
      catalog,
      codec: () => undefined,
      log: createLogger("json", {}, () => {}),
      archived: (rel) => {
        asked.push(rel);
        return Promise.resolve(rel.endsWith(peakName) ? archivedBytes : undefined);
      },
      decode: async (source, out) => {
        seen.push(await Deno.readFile(source.path));
        await Deno.writeFile(out, JPEG);
      },
    });
    const path = await thumbs.get(1, 1, "e1");
    assertEquals(path, store.thumbnailPath(1, 1, "e1"));
    assertEquals(asked, [`1/1/${s.summary.date}/${s.summary.time}/${peakName}`]);
    assertEquals(seen, [archivedBytes]);
    const left = [...Deno.readDirSync(join(path!, ".."))].map((f) => f.name);
    assert(!left.some((n) => n.endsWith(".ts")), `temporary copy left: ${left}`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
