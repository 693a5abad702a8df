import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock, flush } from "../../support/fake_clock.ts";
import { LlHlsWindow, PART_TARGET_S, SEGMENT_TARGET_S } from "../../../src/recorder/live/ll_hls.ts";
import type { LiveMessage } from "../../../src/recorder/live/hub.ts";

const TIMESCALE = 90_000;
const FRAME = TIMESCALE / 25;

const init = (tag: number): LiveMessage => ({
  kind: "init",
  init: { data: new Uint8Array([tag]), timescale: TIMESCALE, codec: "avc1.42c01e" },
});
/** Frame `i` (25 fps) of a stream with a keyframe every `gop` frames; its byte is `i % 256`. */
const frame = (
  i: number,
  gop: number,
  wallMs = 1_700_000_000_000 + i * 40 + (i % 7) * 13, // arrival jitters
): LiveMessage => ({
  kind: "fragment",
  fragment: { data: new Uint8Array([i % 256]), key: i % gop === 0, decodeTime: i * FRAME },
  wallMs,
});

interface Line {
  tag: string;
  attrs: string;
}
const lines = (w: LlHlsWindow): Line[] =>
  w.playlist().trim().split("\n").map((l) => {
    const i = l.indexOf(":");
    return i < 0 ? { tag: l, attrs: "" } : { tag: l.slice(0, i), attrs: l.slice(i + 1) };
  });
const attr = (l: Line, name: string) => new RegExp(`${name}=("?)([^,"]*)\\1`).exec(l.attrs)?.[2];

Deno.test("LL-HLS: parts of at most the part target, a segment per GOP, its bytes its parts'", () => {
  const w = new LlHlsWindow(new FakeClock());
  w.push(init(1));
  for (let i = 1; i < 50; i++) w.push(frame(i, 50)); // before the first keyframe: not kept
  assertEquals(w.nextMsn, 0); // no segment begun
  for (let i = 50; i < 50 + 50 * 3 + 10; i++) w.push(frame(i, 50));
  const ls = lines(w);
  assertEquals(ls.find((l) => l.tag === "#EXT-X-TARGETDURATION")?.attrs, String(SEGMENT_TARGET_S));
  assertEquals(ls.filter((l) => l.tag === "#EXTINF").map((l) => l.attrs), [
    "2.000,",
    "2.000,",
    "2.000,",
  ]);
  const parts = ls.filter((l) => l.tag === "#EXT-X-PART");
  for (const p of parts) assert(Number(attr(p, "DURATION")) <= PART_TARGET_S, p.attrs);
  // 25 fps: 7 frames (0.28 s) a part, so 7 whole parts and a short one per 2 s segment.
  assertEquals(parts.slice(0, 8).map((p) => attr(p, "DURATION")), [
    ...Array(7).fill("0.280"),
    "0.040",
  ]);
  // Parts of the newest 3 segments only; the one being written has its first part closed.
  assertEquals(parts.filter((p) => p.attrs.includes("INDEPENDENT=YES")).length, 3);
  assertEquals(attr(parts[0], "URI"), "1.0.m4s");
  // The segment being written: its closed parts, then a hint for the one after them.
  assertEquals(ls.at(-1), { tag: "#EXT-X-PRELOAD-HINT", attrs: 'TYPE=PART,URI="3.1.m4s"' });
  assertEquals(w.media(3, 1), undefined); // still being written
  assertEquals(w.media(3, 0)?.length, 7);
  assertEquals(
    [...w.media(1)!],
    Array.from({ length: 8 }, (_, n) => [...w.media(1, n)!]).flat(),
  );
  assertEquals([...w.media(1)!], Array.from({ length: 50 }, (_, k) => (100 + k) % 256));
  assertEquals(w.init(1), new Uint8Array([1]));
  assertEquals(w.nextMsn, 4);
  // Times chain from the first keyframe's arrival, whatever later frames' arrival times.
  const times = ls.filter((l) => l.tag === "#EXT-X-PROGRAM-DATE-TIME").map((l) =>
    Date.parse(l.attrs)
  );
  const first = 1_700_000_000_000 + 50 * 40 + (50 % 7) * 13;
  assertEquals(times, [first, first + 2000, first + 4000, first + 6000]);
  assertEquals(
    [w.has(2), w.has(3), w.has(3, 0), w.has(3, 1), w.has(4, 0)],
    [true, false, true, false, false],
  );
});

Deno.test("LL-HLS: a GOP longer than the segment target is cut at the target, not a keyframe", () => {
  const w = new LlHlsWindow(new FakeClock());
  w.push(init(1));
  for (let i = 0; i < 200 + 13; i++) w.push(frame(i, 200)); // 8 s GOP
  const ls = lines(w);
  assertEquals(ls.filter((l) => l.tag === "#EXTINF").map((l) => l.attrs), ["4.000,", "4.000,"]);
  const parts = ls.filter((l) => l.tag === "#EXT-X-PART");
  const independent = parts.filter((p) => p.attrs.includes("INDEPENDENT=YES"));
  assertEquals(independent.map((p) => attr(p, "URI")), ["0.0.m4s", "2.0.m4s"]);
});

Deno.test("LL-HLS: a new run is a discontinuity with its own init; old segments leave the window", () => {
  const w = new LlHlsWindow(new FakeClock());
  w.push(init(1));
  let i = 0;
  for (; i < 50 * 2 + 1; i++) w.push(frame(i, 50));
  w.push(init(2)); // the camera's child restarted: new init, timestamps from zero
  for (let k = 0; k < 50 * 2 + 1; k++) w.push(frame(k, 50));
  let ls = lines(w);
  assertEquals(ls.filter((l) => l.tag === "#EXT-X-MAP").map((l) => l.attrs), [
    'URI="init-1.mp4"',
    'URI="init-2.mp4"',
  ]);
  assertEquals(ls.filter((l) => l.tag === "#EXT-X-DISCONTINUITY").length, 1);
  assertEquals(ls.find((l) => l.tag === "#EXT-X-DISCONTINUITY-SEQUENCE")?.attrs, "0");
  // The first run's segments: 2 whole and the one cut short by the restart.
  assertEquals(ls.filter((l) => l.tag === "#EXTINF").length, 5);
  for (let k = 101; k < 101 + 50 * 8; k++) w.push(frame(k, 50));
  ls = lines(w);
  assertEquals(ls.filter((l) => l.tag === "#EXTINF").length, 6);
  assertEquals(ls.filter((l) => l.tag === "#EXT-X-MAP").map((l) => l.attrs), ['URI="init-2.mp4"']);
  assertEquals(ls.find((l) => l.tag === "#EXT-X-DISCONTINUITY-SEQUENCE")?.attrs, "1");
  assertEquals(ls.find((l) => l.tag === "#EXT-X-MEDIA-SEQUENCE")?.attrs, "7");
  assertEquals(w.init(1), undefined); // no segment plays with it any more
  // Parts are listed for the newest segments only.
  const first = ls.findIndex((l) => l.tag === "#EXT-X-PART");
  assertEquals(ls.slice(0, first).filter((l) => l.tag === "#EXTINF").length, 4);
});

Deno.test("LL-HLS: a blocking reload waits for the part asked, or gives up after its time", async () => {
  const clock = new FakeClock();
  const w = new LlHlsWindow(clock);
  w.push(init(1));
  for (let i = 0; i < 7; i++) w.push(frame(i, 50)); // part 0.0 still open
  let done: boolean | undefined;
  void w.wait(0, 0, 3000).then((ok) => (done = ok));
  await flush();
  assertEquals(done, undefined);
  w.push(frame(7, 50)); // closes part 0.0
  await flush();
  assertEquals(done, true);
  let late: boolean | undefined;
  void w.wait(1, undefined, 3000).then((ok) => (late = ok));
  await clock.advance(2999);
  assertEquals(late, undefined);
  await clock.advance(2);
  assertEquals(late, false);
});

Deno.test("LL-HLS: parts stay within the part target at 10, 15, 25 and 30 fps", () => {
  for (const fps of [10, 15, 25, 30]) {
    const w = new LlHlsWindow(new FakeClock());
    w.push(init(1));
    for (let i = 0; i < fps * 5; i++) {
      w.push({
        kind: "fragment",
        fragment: {
          data: new Uint8Array([i % 256]),
          key: i % fps === 0,
          decodeTime: i * TIMESCALE / fps,
        },
        wallMs: i,
      });
    }
    const durations = lines(w).filter((l) => l.tag === "#EXT-X-PART").map((l) =>
      Number(attr(l, "DURATION"))
    );
    assert(durations.length > 0, `${fps} fps`);
    for (const d of durations) assert(d <= PART_TARGET_S, `${fps} fps: a part of ${d} s`);
    // As long as the target allows: the first part of a segment is one frame short of it.
    assert(durations[0] > PART_TARGET_S - 1 / fps - 1e-6, `${fps} fps: ${durations}`);
  }
});
