/**
 * The camera API's validation and conflicts, in-process (no GStreamer, no server process):
 * the same calls as the end-to-end contract test (tests/integration/api_contract_test.ts),
 * in milliseconds.
 */
import { assertEquals, assertMatch } from "../support/assert.ts";
import { InProcessNvr } from "../support/in_process.ts";

const TS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const cam = (over: Record<string, unknown> = {}) => ({
  seq: 1,
  gid: 2,
  name: "1번 카메라",
  iaddr: "test://ball",
  protocol: "rtmp",
  isRec: 0,
  ...over,
});

Deno.test("camera API in-process: shapes, conflicts, validation", async (t) => {
  const nvr = await new InProcessNvr().start();
  try {
    await t.step("POST /api/camera answers the contract's shape", async () => {
      const r = await nvr.api("POST", "/api/camera", cam());
      assertEquals(r.status, 201);
      assertEquals(Object.keys(r.json).sort(), [
        "inserted",
        "isRec",
        "status",
        "stream_url",
        "updated",
      ]);
      assertMatch(r.json.inserted, TS);
      assertEquals(r.json.stream_url, `${nvr.base}/2/1/hls/index.m3u8`);
    });

    await t.step("duplicate (gid, seq) is 409", async () => {
      const r = await nvr.api("POST", "/api/camera", cam());
      assertEquals(r.status, 409);
      assertEquals(r.json.status, 0);
    });

    await t.step("bad bodies are 400 with one entry per bad field", async () => {
      let r = await nvr.api("POST", "/api/camera", cam({ seq: "1", isRec: 2, extra: true }));
      assertEquals(r.status, 400);
      const fields = r.json.fields.map((f: { field: string }) => f.field).sort();
      assertEquals(fields, ["extra", "isRec", "seq"]);
      r = await nvr.api("POST", "/api/camera", { gid: 1 });
      assertEquals(r.status, 400);
      assertEquals(r.json.fields.length, 5);
      r = await nvr.api("POST", "/api/camera", "{not json");
      assertEquals([r.status, r.json.error], [400, "body is not valid JSON"]);
      r = await nvr.api("POST", "/api/camera", "[1,2]");
      assertEquals(r.status, 400);
      r = await nvr.api(
        "POST",
        "/api/camera",
        JSON.stringify({ ...cam(), name: "x".repeat(70_000) }),
      );
      assertEquals(r.status, 413);
      r = await nvr.api(
        "POST",
        "/api/camera",
        cam({ seq: -1, gid: 1.5, protocol: "carrier-pigeon" }),
      );
      assertEquals(r.json.fields.map((f: { field: string }) => f.field).sort(), [
        "gid",
        "protocol",
        "seq",
      ]);
      r = await nvr.api(
        "POST",
        "/api/camera",
        cam({ seq: 9, iaddr: 'rtsp://h/x" ! filesink location=/tmp/x' }),
      );
      assertEquals([r.status, r.json.fields[0].field], [400, "iaddr"]);
    });

    await t.step("GET one camera: 404 unknown, 400 malformed, passwords masked", async () => {
      await nvr.api(
        "POST",
        "/api/camera",
        cam({ seq: 5, iaddr: "rtsp://admin:8922@127.0.0.1:9/v" }),
      );
      const all = await nvr.api("GET", "/api/camera");
      assertEquals(all.json.length, 2);
      assertEquals(JSON.stringify(all.json).includes("8922"), false);
      assertEquals((await nvr.api("GET", "/api/camera/seq/1/gid/77")).status, 404);
      assertEquals((await nvr.api("GET", "/api/camera/seq/x/gid/2")).status, 400);
      assertEquals(await nvr.api("DELETE", "/api/camera/seq/9/gid/9"), { status: 404, json: 0 });
    });
  } finally {
    await nvr.stop();
  }
});
