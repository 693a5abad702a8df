/**
 * Source faults against the real recorder: a GStreamer child killed with SIGKILL, a
 * source that accepts TCP but never answers, one that sends garbage, and a camera that
 * comes back with another resolution, then another codec. Each ends with the server
 * serving, no child piling up, and every complete segment indexed and playable.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { gstProcessesMentioning, RtspServer, waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";
import { checkIntegrity } from "./integrity.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP server that accepts and then stays silent, or answers with junk. */
function badSource(mode: "silent" | "garbage") {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      if (mode === "garbage") {
        const junk = crypto.getRandomValues(new Uint8Array(4096));
        conn.write(new TextEncoder().encode("RTSP/1.0 200 OK\r\nCSeq: x\r\n\r\n"))
          .then(() => conn.write(junk)).catch(() => {});
      }
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
    },
  };
}

Deno.test({
  name: "source faults: kill -9 of a child, silent and garbage sources, new resolution and codec",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const silent = badSource("silent");
    const garbage = badSource("garbage");
    let changing: RtspServer | undefined = await new RtspServer({ gop: 25 }).start();
    const rc = await startRecording({
      rtsp: { gop: 25 },
      cameras: [
        { seq: 1 },
        { seq: 2, iaddr: `rtsp://127.0.0.1:${silent.port}/cam` },
        { seq: 3, iaddr: `rtsp://127.0.0.1:${garbage.port}/cam` },
        { seq: 4, iaddr: changing.url("h264") },
      ].map((c) => ({ ...c, gid: 5, name: `f${c.seq}` })),
      segments: 0,
    }).catch(async (err) => {
      await changing?.stop();
      silent.close();
      garbage.close();
      throw err;
    });
    const { nvr } = rc;
    const cam = (seq: number) => rc.status({ gid: 5, seq });
    try {
      await waitFor(
        async () => (await cam(1)).segments >= 3 && (await cam(4)).segments >= 3,
        "recording",
      );

      // kill -9 of camera 1's child: restarted, recording continues.
      const before = await cam(1);
      const pids = await gstProcessesMentioning(`${nvr.mediaRoot}/5/1/`);
      assertEquals(pids.length, 1, "one child for camera 1");
      Deno.kill(pids[0], "SIGKILL");
      await waitFor(
        async () => {
          const c = await cam(1);
          return c.reconnects > before.reconnects && c.segments >= before.segments + 3;
        },
        "camera 1 to record again after SIGKILL",
        30_000,
      );

      // Camera 4: the source returns with another resolution, then as H.265.
      const port = changing.port;
      await changing.stop();
      await sleep(2000);
      changing = await new RtspServer({ port, gop: 25, size: "640x480" }).start();
      let mark = (await cam(4)).segments;
      await waitFor(
        async () => (await cam(4)).segments >= mark + 3,
        "new resolution recorded",
        30_000,
      );
      await changing.stop();
      await sleep(2000);
      changing = await new RtspServer({ port, gop: 25, h264As: "h265" }).start();
      mark = (await cam(4)).segments;
      const codecResult = await waitFor(
        async () => {
          const c = await cam(4);
          return c.segments >= mark + 3 ? "recorded" : undefined;
        },
        "H.265 after H.264 recorded",
        40_000,
      ).catch((e) => `not recorded: ${e.message}`);

      // Silent and garbage sources: a clear state and reason, never a pile of children.
      for (const seq of [2, 3]) {
        const c = await cam(seq);
        assert(
          ["connecting", "reconnecting", "failed"].includes(c.state),
          `cam ${seq}: ${c.state}`,
        );
        assertEquals(c.segments, 0);
        const kids = await gstProcessesMentioning(`${nvr.mediaRoot}/5/${seq}/`);
        assert(kids.length <= 1, `cam ${seq}: ${kids.length} children`);
      }
      assertEquals((await nvr.api("GET", "/api/health")).status < 500, true);

      // Stop recording, then check every session of the cameras that recorded.
      for (const seq of [1, 4]) {
        await nvr.api("PUT", "/api/camera/record/status", { gid: 5, seq, isRec: 0 });
      }
      await sleep(1500);
      for (const seq of [1, 4]) {
        const r = await checkIntegrity(nvr, 5, seq);
        assert(r.sessions >= 1 && r.listed >= 3, `cam ${seq}: ${JSON.stringify(r)}`);
      }
      console.log(`codec change: ${codecResult}`);
      assertEquals(codecResult, "recorded", "a camera that switched to H.265 is recorded");
    } finally {
      await rc.stop();
      await changing?.stop();
      silent.close();
      garbage.close();
    }
  },
});
