/** file:// sources: confined to --file-root (symlinks followed), played in real time, looped. */
import { join } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";
import {
  closedPlaylist,
  decodeFrames,
  Nvr,
  playlistSegments,
  probe,
  waitFor,
} from "../support/harness.ts";

/** An MP4 clip: H.264 320x240 25 fps, one keyframe a second, and an AAC track. */
async function makeClip(path: string, seconds: number): Promise<void> {
  const out = await new Deno.Command("gst-launch-1.0", {
    args: [
      "-q",
      "-e",
      "videotestsrc",
      `num-buffers=${seconds * 25}`,
      "!",
      "video/x-raw,width=320,height=240,framerate=25/1",
      "!",
      "x264enc",
      "key-int-max=25",
      "speed-preset=ultrafast",
      "!",
      "h264parse",
      "!",
      "mp4mux",
      "name=mux",
      "!",
      "filesink",
      `location=${path}`,
      "audiotestsrc",
      `num-buffers=${Math.ceil((seconds * 44100) / 1024)}`,
      "!",
      "voaacenc",
      "!",
      "aacparse",
      "!",
      "mux.",
    ],
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
}

Deno.test("file source: records a clip from the file folder in real time and loops it; escapes refused", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "nvr-files-" });
  const root = join(tmp, "clips");
  await Deno.mkdir(root);
  await makeClip(join(root, "door.mp4"), 3);
  await Deno.copyFile(join(root, "door.mp4"), join(tmp, "secret.mp4"));
  await Deno.symlink(join(tmp, "secret.mp4"), join(root, "escape.mp4"));
  // The file folder needs read permission, as docs/configuration.md says for --file-root.
  const nvr = new Nvr({ segmentSeconds: 1, extraArgs: [`--file-root=${root}`], extraRead: [root] });
  const cam = { gid: 1, name: "demo", protocol: "file", isRec: 1 };
  try {
    await nvr.start();
    const dotdot = await nvr.api("POST", "/api/camera", {
      ...cam,
      seq: 9,
      iaddr: "file:///../secret.mp4",
    });
    assertEquals([dotdot.status, dotdot.json.fields[0].field], [400, "iaddr"]);

    assertEquals(
      (await nvr.api("POST", "/api/camera", { ...cam, seq: 1, iaddr: "file:///door.mp4" }))
        .status,
      201,
    );
    await nvr.api("POST", "/api/camera", { ...cam, seq: 2, iaddr: "file:///escape.mp4" });
    const get = async (seq: number) => (await nvr.api("GET", `/api/camera/seq/${seq}/gid/1`)).json;
    // Seven one-second segments from a three-second clip: it looped (at least twice).
    const t0 = Date.now();
    await waitFor(async () => (await get(1)).segments >= 7, "a looping file", 30_000);
    assert(Date.now() - t0 > 5000, "played in real time, not as fast as the disk reads");
    const one = await get(1);
    assertEquals([one.state, one.codec, one.audio], ["recording", "h264", "aac"]);
    const outages = (await nvr.api("GET", "/api/camera/seq/1/gid/1/outages")).json.outages;
    assertEquals(outages.length, 0, "looping is not an outage");

    const escape = await waitFor(async () => {
      const c = await get(2);
      return c.state === "failed" ? c : undefined;
    }, "the symlink out of the folder to be refused");
    assert(/outside the file folder/.test(escape.last_error), escape.last_error);
    assertEquals(escape.segments, 0);

    const off = await nvr.api("PUT", "/api/camera/record/status", { seq: 1, gid: 1, isRec: 0 });
    const url = off.json.record_url as string;
    await closedPlaylist(url);
    assert((await decodeFrames(url)) >= 100, "the recorded loops decode");
    const last = (await playlistSegments(url)).at(-1)!;
    assertEquals((await probe(last)).audio, "aac", "the clip's audio is recorded");
  } finally {
    await nvr.stop();
    await Deno.remove(tmp, { recursive: true });
  }
});
