/**
 * The fMP4 splitter on bytes captured from the real live branch (mp4mux fragment-duration=1
 * streamable=true behind the recorder's tee, tests/unit/recorder/fixtures/live_h26x.mp4: the
 * init segment and the first 30 fragments of a 25 fps, 1 s GOP camera of the test RTSP server).
 */
import { assert, assertEquals } from "../../support/assert.ts";
import {
  boxes,
  concat,
  describeMoof,
  type Fmp4Item,
  Fmp4Splitter,
} from "../../../src/recorder/live/fmp4.ts";

const fixture = (codec: string) =>
  Deno.readFile(new URL(`./fixtures/live_${codec}.mp4`, import.meta.url));

function split(bytes: Uint8Array, chunk: number): Fmp4Item[] {
  const s = new Fmp4Splitter();
  const out: Fmp4Item[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...s.push(bytes.subarray(i, i + chunk)));
  return out;
}

for (const [codec, expected] of [["h264", "avc1.42c00d"], ["h265", "hvc1.4.10.L60.98.8"]]) {
  Deno.test(`fmp4: ${codec} init segment, codec string, keyframes and decode times`, async () => {
    const bytes = await fixture(codec);
    for (const chunk of [1, 7, 1000, bytes.length]) {
      const items = split(bytes, chunk);
      assertEquals(items.length, 31, `items with ${chunk}-byte chunks`);
      const [first, ...rest] = items;
      assert(first.kind === "init");
      assertEquals(first.init.codec, expected);
      assertEquals(first.init.timescale, 2500);
      assertEquals(boxes(first.init.data).map((b) => b.type), ["ftyp", "moov"]);
      const frags = rest.map((i) => i.kind === "fragment" ? i.fragment : undefined);
      assertEquals(frags.map((f) => f?.key), frags.map((_, i) => i % 25 === 0));
      assertEquals(frags.map((f) => f?.decodeTime), frags.map((_, i) => i * 100));
      assertEquals(boxes(frags[0]!.data).map((b) => b.type), ["moof", "mdat"]);
    }
    // Every byte is accounted for.
    const total = split(bytes, 4096).reduce(
      (n, i) => n + (i.kind === "init" ? i.init.data : i.fragment.data).length,
      0,
    );
    assertEquals(total, bytes.length);
  });
}

Deno.test("fmp4: a stream joined mid-box resynchronises at the next moof", async () => {
  const bytes = await fixture("h264");
  const items = split(bytes, 1000);
  const joined = bytes.subarray(900); // inside the first fragment's moof (the init is 862 bytes)
  const s = new Fmp4Splitter();
  const got = s.push(concat([new Uint8Array([1, 2, 3]), joined]));
  assert(got.length > 0, "fragments after the resync");
  assert(got.every((i) => i.kind === "fragment"), "fragments only");
  assertEquals(got.length, 29, "every whole fragment after the join");
  assert(s.skipped > 0);
  const last = items[items.length - 1];
  const gotLast = got[got.length - 1];
  assert(last.kind === "fragment" && gotLast.kind === "fragment");
  assertEquals(gotLast.fragment.decodeTime, last.fragment.decodeTime);
});

Deno.test("fmp4: garbage only is dropped, memory stays bounded", () => {
  const s = new Fmp4Splitter();
  for (let i = 0; i < 100; i++) assertEquals(s.push(new Uint8Array(10_000).fill(0x41)), []);
  assert(s.skipped > 990_000);
});

Deno.test("fmp4: sample flags from tfhd defaults or trun", () => {
  // moof > traf > tfhd (default-sample-flags present) + trun (no flags of its own).
  const box = (type: string, ...body: Uint8Array[]) => {
    const payload = concat(body);
    const out = new Uint8Array(8 + payload.length);
    new DataView(out.buffer).setUint32(0, out.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(payload, 8);
    return out;
  };
  const u32 = (...n: number[]) => {
    const b = new Uint8Array(4 * n.length);
    n.forEach((v, i) => new DataView(b.buffer).setUint32(4 * i, v));
    return b;
  };
  for (const [flags, key] of [[0x01010000, false], [0x02000000, true]] as const) {
    const moof = box(
      "moof",
      box("traf", box("tfhd", u32(0x20, 1, flags)), box("trun", u32(0, 1))),
    );
    assertEquals(describeMoof(moof, { type: "moof", start: 8, end: moof.length }).key, key);
  }
});
