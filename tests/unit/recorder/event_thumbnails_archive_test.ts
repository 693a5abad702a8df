/**
 * An event thumbnail whose segment left the disk once archived: made from a temporary copy of
 * the archived bytes (removed afterwards), as from the local file.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../support/assert.ts";
import { eventThumbnails, recordEvent, recordSession } from "../../support/recordings.ts";

const T0 = new Date(2026, 4, 10, 10, 0, 0).getTime();
const JPEG = new Uint8Array([0xff, 0xd8, 1, 2, 0xff, 0xd9]);

Deno.test("event thumbnail: an archive-only segment is decoded from a copy of its archived bytes", async () => {
  const root = await Deno.makeTempDir();
  try {
    const s = await recordSession(root, T0, 3);
    const peakName = `${T0 + 2000}_2000.ts`;
    Deno.removeSync(join(s.dir, peakName)); // evicted: only in the archive now
    const archivedBytes = new Uint8Array(500).fill(0x47).map((v, i) => (i % 188 ? 7 : v));
    const asked: string[] = [];
    const seen: Uint8Array[] = [];
    const { store, thumbs } = await eventThumbnails(root, T0 + 60_000, {
      archived: (rel) => {
        asked.push(rel);
        return Promise.resolve(rel.endsWith(peakName) ? archivedBytes : undefined);
      },
      decode: async (source, out) => {
        seen.push(await Deno.readFile(source.path));
        await Deno.writeFile(out, JPEG);
      },
    });
    recordEvent(store, "e1", T0 + 2100, T0 + 3000, { peak: T0 + 2500 });
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
