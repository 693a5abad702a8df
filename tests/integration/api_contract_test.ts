/**
 * The seed's REST contract, call by call, against the real recorder (test:// cameras).
 * Validation and conflicts need no GStreamer: they run in-process (tests/unit/api/api_routes_test.ts).
 */
import { CONTRACT_TIMESTAMP, contractCamera, CREATED_FIELDS } from "../support/api_call.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { closedPlaylist, Nvr, waitFor } from "../support/harness.ts";

const TS = CONTRACT_TIMESTAMP;
const cam = contractCamera;

Deno.test("camera API follows the seed's contract", async (t) => {
  const nvr = await new Nvr().start();
  try {
    await t.step("GET /api/boot/end is 1 with no boot camera", async () => {
      assertEquals(await nvr.api("GET", "/api/boot/end"), { status: 200, json: 1 });
    });

    await t.step("POST /api/camera registers and answers the contract's shape", async () => {
      const r = await nvr.api("POST", "/api/camera", cam());
      assertEquals(r.status, 201);
      assertEquals(Object.keys(r.json).sort(), CREATED_FIELDS);
      assertEquals(r.json.status, 1);
      assertEquals(r.json.isRec, 0);
      assertMatch(r.json.inserted, TS);
      assertMatch(r.json.updated, TS);
      assertEquals(r.json.stream_url, `${nvr.base}/2/1/hls/index.m3u8`);
    });

    await t.step("GET /api/camera lists cameras with live state, passwords masked", async () => {
      await nvr.api(
        "POST",
        "/api/camera",
        cam({ seq: 5, iaddr: "rtsp://admin:8922@127.0.0.1:9/video1" }),
      );
      const r = await nvr.api("GET", "/api/camera");
      assertEquals(r.status, 200);
      assertEquals(r.json.length, 2);
      const masked = r.json.find((c: { seq: number }) => c.seq === 5);
      assertEquals(masked.iaddr, "rtsp://admin:***@127.0.0.1:9/video1");
      assert(!JSON.stringify(r.json).includes("8922"), "password must not appear");
      const one = await nvr.api("GET", "/api/camera/seq/1/gid/2");
      assertEquals([one.status, one.json.name, one.json.protocol], [200, "1번 카메라", "rtmp"]);
      assertEquals((await nvr.api("GET", "/api/camera/seq/1/gid/77")).status, 404);
      assertEquals((await nvr.api("GET", "/api/camera/seq/x/gid/2")).status, 400);
      await waitFor(async () => {
        const c = (await nvr.api("GET", "/api/camera/seq/5/gid/2")).json;
        return c.state === "failed" && c.last_error ? c : undefined;
      }, "unreachable camera to fail with a reason");
      assert(!nvr.logs.join("\n").includes("8922"), "password must not appear in logs");
    });

    await t.step("PUT /api/camera/record/status starts and stops recording", async () => {
      await waitFor(
        async () => (await nvr.api("GET", "/api/camera/seq/1/gid/2")).json.segments > 0,
        "live",
      );
      let r = await nvr.api("PUT", "/api/camera/record/status", { seq: 1, gid: 2, isRec: 1 });
      assertEquals(r.status, 200);
      assertEquals(
        Object.keys(r.json).sort(),
        ["inserted", "isRec", "record_url", "status", "stream_url", "updated"],
      );
      assertEquals([r.json.status, r.json.isRec, r.json.record_url], [1, 1, null]);
      await waitFor(
        async () => (await nvr.api("GET", "/api/camera/seq/1/gid/2")).json.recording,
        "recording",
      );
      await new Promise((res) => setTimeout(res, 2500));
      r = await nvr.api("PUT", "/api/camera/record/status", { seq: 1, gid: 2, isRec: 0 });
      assertEquals(r.json.isRec, 0);
      assertMatch(
        r.json.record_url,
        /^http:\/\/127\.0\.0\.1:\d+\/2\/1\/\d{4}-\d{2}-\d{2}\/\d{6}\/index\.m3u8$/,
      );
      const url = r.json.record_url;
      const text = await closedPlaylist(url);
      assert((text.match(/#EXTINF/g) ?? []).length >= 2, text);
      assertEquals(
        (await nvr.api("PUT", "/api/camera/record/status", { seq: 1, gid: 9, isRec: 1 })).status,
        404,
      );
    });

    await t.step(
      "PUT /api/camera moves a camera to another group; its recordings stay playable",
      async () => {
        const before = (await nvr.api("GET", "/api/recordings/gid/2/seq/1/days")).json.days;
        assertEquals(before.length, 1);
        const r = await nvr.api("PUT", "/api/camera", {
          seq: 1,
          b_gid: 2,
          gid: 3,
          name: "moved",
          iaddr: "test://smpte",
          protocol: "test",
          isRec: 0,
        });
        assertEquals(r.status, 200);
        assertEquals(r.json.stream_url, `${nvr.base}/3/1/hls/index.m3u8`);
        assertEquals(r.json.record_url, null);
        const day = (await nvr.api("GET", `/api/recordings/gid/3/seq/1/date/${before[0]}`)).json;
        assertEquals(day.sessions.length, 1);
        const playlist = await fetch(day.sessions[0].record_url);
        assertEquals(playlist.status, 200);
        const seg = (await playlist.text()).split("\n").find((l) => l.endsWith(".ts"))!;
        const media = await fetch(new URL(seg, day.sessions[0].record_url));
        assertEquals([media.status, media.headers.get("content-type")], [200, "video/mp2t"]);
        await media.body?.cancel();
        assertEquals((await nvr.api("GET", "/api/camera/seq/1/gid/2")).status, 404);
        assertEquals((await nvr.api("POST", "/api/camera", cam())).status, 201, "(2, 1) is free");
        const conflict = await nvr.api("PUT", "/api/camera", { ...cam(), b_gid: 2, gid: 3 });
        assertEquals(conflict.status, 409, "(3, 1) is taken");
        assertEquals(await nvr.api("DELETE", "/api/camera/seq/1/gid/2"), { status: 200, json: 1 });
        assertEquals((await nvr.api("PUT", "/api/camera", { ...cam(), b_gid: 8 })).status, 404);
      },
    );

    await t.step("DELETE moves recordings to the deleted area; purge removes them", async () => {
      const r = await nvr.api("DELETE", "/api/camera/seq/1/gid/3");
      assertEquals([r.status, r.json], [200, 1]);
      assertEquals(await nvr.api("DELETE", "/api/camera/seq/1/gid/3"), { status: 404, json: 0 });
      const deleted = (await nvr.api("GET", "/api/deleted")).json.filter((d: { gid: number }) =>
        d.gid === 3
      );
      assertEquals(deleted.length, 1);
      assertEquals([deleted[0].gid, deleted[0].seq], [3, 1]);
      const files = [...Deno.readDirSync(`${nvr.mediaRoot}/deleted/${deleted[0].id}`)];
      assert(files.some((f) => /^\d{4}-\d{2}-\d{2}$/.test(f.name)), "the day folder was moved");
      assertEquals((await nvr.api("GET", "/api/recordings/gid/3/seq/1/days")).json.days, []);
      assertEquals(await nvr.api("DELETE", `/api/deleted/${deleted[0].id}`), {
        status: 200,
        json: 1,
      });
      assertEquals((await nvr.api("GET", "/api/deleted")).json.length, 1, "only (2, 1) is left");
      assertEquals((await nvr.api("DELETE", "/api/deleted/..%2F..")).status, 404);
    });
  } finally {
    await nvr.stop();
  }
});
