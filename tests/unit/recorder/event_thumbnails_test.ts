/**
 * Event thumbnails: the segment chosen for the peak (pure), and the maker on a real temp
 * folder with a fake decoder: made once from the recorded segment, then served from the
 * file; no event or no recording: none; a failed decode leaves no file.
 */
import { join } from "node:path";
import { peakSegment } from "../../../src/recorder/event_thumbnails.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { eventThumbnails, recordEvent, recordSession } from "../../support/recordings.ts";

const T0 = new Date(2026, 4, 10, 10, 0, 0).getTime();
const seg = (i: number) => ({
  rel: `s${i}`,
  startMs: T0 + i * 2000,
  durationMs: 2000,
  discontinuity: false,
});
const JPEG = new Uint8Array([0xff, 0xd8, 1, 2, 0xff, 0xd9]);

Deno.test("event thumbnail: the segment starting nearest the peak within the event, else the one holding it", () => {
  const segs = [0, 1, 2, 3, 4].map(seg);
  assertEquals(peakSegment(segs, { start: T0 + 1000, end: T0 + 9000, peak: T0 + 5500 })?.rel, "s3");
  assertEquals(peakSegment(segs, { start: T0 + 2500, end: T0 + 3500, peak: T0 + 3000 })?.rel, "s1");
  assertEquals(
    peakSegment(segs, { start: T0 + 100, peak: T0 + 100 })?.rel,
    "s1",
    "open: any start after",
  );
  assertEquals(peakSegment([], { start: T0, end: T0 + 1, peak: T0 }), undefined);
});

Deno.test("event thumbnail: made once from the recording with the decoder, then from the file", async () => {
  const root = await Deno.makeTempDir();
  try {
    await recordSession(root, T0, 5);
    const decoded: string[] = [];
    let fail = false;
    const { store, thumbs } = await eventThumbnails(root, T0 + 60_000, {
      decode: async (source, out) => {
        decoded.push(`${source.codec} ${source.path.split("/").slice(-1)[0]}`);
        if (fail) throw new Error("no frame");
        await Deno.writeFile(out, JPEG);
      },
    });
    recordEvent(store, "e1", T0 + 3000, T0 + 7000, { score: 0.3, peak: T0 + 6100 });
    assertEquals(await thumbs.get(1, 1, "nope"), undefined);
    fail = true;
    assertEquals(await thumbs.get(1, 1, "e1"), undefined, "a failed decode: none");
    assertEquals([...Deno.readDirSync(join(root, "1", "1", "events"))].map((f) => f.name), [
      `${new Date(T0).getFullYear()}-05-10.jsonl`,
    ]);
    fail = false;
    const [a, b] = await Promise.all([thumbs.get(1, 1, "e1"), thumbs.get(1, 1, "e1")]);
    assertEquals(a, store.thumbnailPath(1, 1, "e1"));
    assertEquals(b, a, "concurrent requests share one decode");
    assertEquals(await thumbs.get(1, 1, "e1"), a);
    assertEquals(decoded, [`h264 ${T0 + 6000}_2000.ts`, `h264 ${T0 + 6000}_2000.ts`]);
    assert(Deno.readFileSync(a!).length === JPEG.length);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
