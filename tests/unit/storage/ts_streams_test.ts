import { tsStreams } from "../../../src/storage/ts_streams.ts";
import { remuxArgs } from "../../../src/recorder/remux.ts";
import { assert, assertEquals } from "../../support/assert.ts";

/** One 188-byte packet starting a PSI section on `pid` (CRC not checked by the reader). */
function psi(pid: number, section: number[]): Uint8Array {
  const p = new Uint8Array(188).fill(0xff);
  p.set([0x47, 0x40 | (pid >> 8), pid & 0xff, 0x10, 0x00, ...section]);
  return p;
}
const pat = (pmtPid: number) =>
  psi(0, [0x00, 0xb0, 13, 0, 1, 0xc1, 0, 0, 0, 1, 0xe0 | (pmtPid >> 8), pmtPid & 0xff, 0, 0, 0, 0]);
function pmt(pid: number, types: number[]): Uint8Array {
  const es = types.flatMap((t, i) => [t, 0xe0, 0x41 + i, 0xf0, 0]);
  const length = 9 + es.length + 4;
  return psi(pid, [0x02, 0xb0, length, 0, 1, 0xc1, 0, 0, 0xe0, 0x41, 0xf0, 0, ...es, 0, 0, 0, 0]);
}
const join = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};

Deno.test("MPEG-TS streams are read from the PAT and PMT", () => {
  assertEquals(tsStreams(join(pat(0x1000), pmt(0x1000, [0x1b, 0x0f]))), ["h264", "aac"]);
  assertEquals(tsStreams(join(pat(0x20), pmt(0x20, [0x24]))), ["h265"]);
  assertEquals(tsStreams(join(pat(0x20), pmt(0x20, [0x1b, 0x03]))), ["h264", "other"]);
  assertEquals(tsStreams(new TextEncoder().encode("not a transport stream")), []);
  assertEquals(tsStreams(pat(0x20)), [], "no PMT yet");
});

Deno.test("MP4 export argv: the span's codec, AAC only when every segment has it", () => {
  const video = remuxArgs({ video: "h265", audio: false }, "/tmp/x.mp4").join(" ");
  assert(video.includes("demux. ! queue ! h265parse ! h265timestamper ! mp4mux"), video);
  assert(!video.includes("aacparse"), video);
  const both = remuxArgs({ video: "h264", audio: true }, "/tmp/x.mp4").join(" ");
  assert(both.endsWith("demux. ! queue ! aacparse ! mux."), both);
});
