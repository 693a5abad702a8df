/** Live run folders and the start of a run (scripted gst-launch, fake clock). */
import { join } from "node:path";
import { parsePlaylist } from "../../../src/storage/playlist.ts";
import { startsWithKeyframe } from "../../../src/recorder/segment_start.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { settle, setup } from "../../support/scripted_gst.ts";

const FAIL = [
  "ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:src: Could not open resource for reading and writing.",
  "Additional debug info:",
  "gstrtspsrc.c(8336): gst_rtspsrc_retrieve_sdp (): /GstPipeline:pipeline0/GstRTSPSrc:src:",
  "Failed to connect. (Generic error)",
];

async function runFolders(hls: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(hls)) if (e.isDirectory) names.push(e.name);
  return names.sort();
}

Deno.test("a run that ends without a segment leaves no folder under hls/", async () => {
  const { root, clock, children, rec } = setup(Date.UTC(2026, 0, 1));
  const hls = join(root, "1", "2", "hls");
  await rec.start();
  await clock.advance(0);
  for (let i = 0; i < 5; i++) {
    const run = children.length;
    assertEquals((await runFolders(hls)).length, 1, `run ${run} has its folder`);
    children[run - 1].fail(FAIL);
    await settle(rec);
    assertEquals(await runFolders(hls), [], `failed run ${run} left its folder`);
    while (children.length === run) await clock.advance(1000); // the restart backoff
  }
  // A run that closes a segment keeps its folder (the segment is listed) after it ends.
  const ok = children.at(-1)!;
  ok.open();
  ok.close(2000);
  await settle(rec);
  ok.fail(FAIL);
  await settle(rec);
  assertEquals((await runFolders(hls)).length, 1);
  assertEquals(parsePlaylist(await Deno.readTextFile(join(hls, "index.m3u8"))).segments.length, 1);
  await rec.stop();
  assertEquals((await runFolders(hls)).length, 1, "a stop keeps what was listed");
});

/** Two MPEG-TS packets: a PAT-like filler, then the start of a video PES (RAI set or not). */
function tsStart(keyframe: boolean): Uint8Array {
  const b = new Uint8Array(188 * 2).fill(0xff);
  b.set([0x47, 0x40, 0x00, 0x10, 0x00], 0); // PID 0, payload only
  b.set([0x47, 0x41, 0x00, 0x30, 0x07, keyframe ? 0x50 : 0x10], 188); // PID 0x100, AF + payload
  b.set([0x00, 0x00, 0x01, 0xe0], 188 + 4 + 1 + 7);
  return b;
}

Deno.test("segment start: the random access indicator of the first video PES", () => {
  assertEquals(startsWithKeyframe(tsStart(true)), true);
  assertEquals(startsWithKeyframe(tsStart(false)), false);
  assertEquals(startsWithKeyframe(new Uint8Array(188 * 10).fill(0x47)), undefined);
});

Deno.test("a run's first segment without a keyframe first is dropped; the next starts the run", async () => {
  const { root, clock, children, rec } = setup(Date.UTC(2026, 0, 1));
  const hls = join(root, "1", "2", "hls");
  await rec.start();
  await clock.advance(0);
  const gst = children[0];
  gst.open();
  gst.close(1400, tsStart(false));
  gst.close(2000, tsStart(true));
  gst.close(2000, tsStart(true));
  await settle(rec);
  const list = parsePlaylist(await Deno.readTextFile(join(hls, "index.m3u8")));
  assertEquals(list.segments.length, 2, "the keyframe-less segment is not listed");
  assert(list.segments.every((s) => !s.uri.endsWith("00000.ts")), JSON.stringify(list.segments));
  const [run] = await runFolders(hls);
  assert(!(await Deno.stat(join(hls, run, "00000.ts")).then(() => true, () => false)));
  assertEquals(rec.status.segments, 2);
  await rec.stop();
});
