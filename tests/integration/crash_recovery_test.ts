/** kill -9 of the server while recording 2 cameras: on restart nothing complete is lost, no orphans remain. */
import { join } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";
import { decodeFrames, gstProcessesMentioning, Nvr, waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";

const SEQS = [1, 2];

Deno.test("after kill -9 of the server, restart recovers every complete segment", async () => {
  // Five recorded segments per camera.
  const rc = await startRecording({
    rtsp: { gop: 25 },
    cameras: SEQS.map((seq) => ({ seq, gid: 7 })),
    segments: 5,
  });
  const first = rc.nvr;
  let second: Nvr | undefined;
  try {
    const oldChildren = await gstProcessesMentioning(first.mediaRoot);
    assertEquals(oldChildren.length, SEQS.length, "one gst-launch child per camera");
    await first.stop("SIGKILL");

    // Segments in the session folders at the moment of the crash.
    const sessionDirs: string[] = [];
    for (const seq of SEQS) {
      const camDir = join(first.mediaRoot, "7", String(seq));
      for (const d of Deno.readDirSync(camDir)) {
        if (!/^\d{4}-/.test(d.name)) continue;
        for (const t of Deno.readDirSync(join(camDir, d.name))) {
          if (!/^\d{6}$/.test(t.name)) continue; // session folders only (not thumbs/)
          sessionDirs.push(join(camDir, d.name, t.name));
        }
      }
    }
    const before = new Map(sessionDirs.map((dir) => [
      dir,
      [...Deno.readDirSync(dir)].map((f) => f.name).filter((n) => n.endsWith(".ts")).sort(),
    ]));
    assertEquals(before.size, SEQS.length);

    second = await new Nvr({
      segmentSeconds: 1,
      mediaRoot: first.mediaRoot,
      dataDir: first.dataDir,
    })
      .start();
    // The restart removed the old run folders: leftover children fail at their next segment.
    await waitFor(
      async () => {
        const alive = await gstProcessesMentioning(first.mediaRoot);
        return oldChildren.every((p) => !alive.includes(p));
      },
      "orphaned gst-launch children to exit",
      15_000,
    );
    for (const [dir, names] of before) {
      const playlist = Deno.readTextFileSync(join(dir, "index.m3u8"));
      assert(playlist.includes("#EXT-X-ENDLIST"), "recovered session is closed");
      const listed = playlist.split("\n").filter((l) => l.endsWith(".ts"));
      for (const n of names) assert(listed.includes(n), `${n} listed after recovery`);
      assertEquals(new Set(listed).size, listed.length, "no duplicates");
      const summary = JSON.parse(Deno.readTextFileSync(join(dir, "session.json")));
      assertEquals(summary.closeReason, "recovered");
      const frames = await decodeFrames(join(dir, "index.m3u8"));
      assert(frames >= names.length * 20, `decoded ${frames} frames`);
    }
    // The registry survived: both cameras record again, in new sessions.
    await waitFor(async () => {
      const cams = (await second!.api("GET", "/api/camera")).json;
      return cams.length === SEQS.length &&
        cams.every((c: { state: string; segments: number }) =>
          c.state === "recording" && c.segments >= 2
        );
    }, "recording to resume after restart");
    const date = /\d{4}-\d{2}-\d{2}/.exec([...before.keys()][0])![0];
    const sessions =
      (await second.api("GET", `/api/recordings/gid/7/seq/1/date/${date}`)).json.sessions;
    assert(sessions.length >= 2, "old session plus a new one");
  } finally {
    await first.stop("SIGKILL");
    await second?.stop();
    await rc.stop();
  }
});
