/**
 * The camera API's validation and conflicts, in-process (no GStreamer, no server process):
 * the same calls as the end-to-end contract test (tests/integration/api_contract_test.ts),
 * in milliseconds.
 */
import { CONTRACT_TIMESTAMP, contractCamera, CREATED_FIELDS } from "../../support/api_call.ts";
import { assert, assertEquals, assertMatch } from "../../support/assert.ts";
import { InProcessNvr } from "../../support/in_process.ts";

const TS = CONTRACT_TIMESTAMP;
const cam = contractCamera;

Deno.test("camera API in-process: shapes, conflicts, validation", async (t) => {
  const nvr = await new InProcessNvr().start();
  try {
    await t.step("POST /api/camera answers the contract's shape", async () => {
      const r = await nvr.api("POST", "/api/camera", cam());
      assertEquals(r.status, 201);
      assertEquals(Object.keys(r.json).sort(), CREATED_FIELDS);
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

const keys = (o: Record<string, unknown>) => Object.keys(o).sort();
const NOT_FOUND = { status: 0, error: "camera gid=9 seq=1 not found" };

Deno.test("read routes in-process: the shapes of cameras, recordings, storage, schedules, options; 404 and 400 bodies", async (t) => {
  const nvr = await new InProcessNvr().start();
  try {
    await nvr.api("POST", "/api/camera", cam({ iaddr: "rtsp://admin:8922@127.0.0.1:9/v" }));

    await t.step(
      "GET /api/camera and one camera: the registry entry plus its live state",
      async () => {
        const all = await nvr.api("GET", "/api/camera");
        assertEquals(all.status, 200);
        assertEquals(all.json.length, 1);
        const one = await nvr.api("GET", "/api/camera/seq/1/gid/2");
        assertEquals(one, { status: 200, json: all.json[0] });
        assertEquals(keys(one.json), [
          "audio",
          "bitrate",
          "bytes_written",
          "codec",
          "gid",
          "iaddr",
          "inserted",
          "isRec",
          "last_error",
          "last_segment_at",
          "name",
          "outage_since",
          "protocol",
          "reconnects",
          "recording",
          "segments",
          "seq",
          "since",
          "state",
          "stream_url",
          "updated",
        ]);
        assertEquals(one.json.iaddr, "rtsp://admin:***@127.0.0.1:9/v");
        assertEquals([one.json.segments, one.json.reconnects, one.json.recording], [0, 0, null]);
        assertEquals(one.json.stream_url, `${nvr.base}/2/1/hls/index.m3u8`);
      },
    );

    await t.step(
      "GET /api/recordings: days and a day, empty before anything is recorded",
      async () => {
        assertEquals(await nvr.api("GET", "/api/recordings/gid/2/seq/1/days"), {
          status: 200,
          json: { gid: 2, seq: 1, days: [] },
        });
        assertEquals(await nvr.api("GET", "/api/recordings/gid/2/seq/1/date/2026-01-01"), {
          status: 200,
          json: { gid: 2, seq: 1, date: "2026-01-01", sessions: [], day_url: null },
        });
        for (const bad of ["2026-13-01", "2026-02-30", "2026-1-01"]) {
          const r = await nvr.api("GET", `/api/recordings/gid/2/seq/1/date/${bad}`);
          assertEquals([r.status, r.json.fields?.[0]?.field], [400, "date"], bad);
        }
      },
    );

    await t.step("GET /api/storage: totals, the last cleaning, one entry per camera", async () => {
      const r = await nvr.api("GET", "/api/storage");
      assertEquals(r.status, 200);
      assertEquals(keys(r.json), [
        "budget_bytes",
        "bytes_per_day",
        "cameras",
        "days_until_full",
        "deleted_total",
        "forecast_days",
        "free_bytes",
        "last_cleaning",
        "min_free_bytes",
        "oldest_recording",
        "paused",
        "total_bytes",
        "used_bytes",
      ]);
      assertEquals([r.json.used_bytes, r.json.budget_bytes, r.json.paused], [0, null, null]);
      assertEquals(r.json.deleted_total, { segments: 0, bytes: 0 });
      assertEquals(keys(r.json.last_cleaning), ["at", "deleted_segments", "freed_bytes"]);
      assertEquals(r.json.cameras, [{
        gid: 2,
        seq: 1,
        used_bytes: 0,
        oldest_recording: null,
        bitrate: 0,
        max_age_days: null,
        keeps: 0,
      }]);
      assert(r.json.total_bytes >= r.json.free_bytes && r.json.free_bytes > 0, "disk figures");
    });

    await t.step("schedule: none, set (next edge), read back, removed", async () => {
      const path = "/api/camera/seq/1/gid/2/schedule";
      assertEquals(await nvr.api("GET", path), {
        status: 200,
        json: { gid: 2, seq: 1, schedule: null, scheduled_on: null, next_change: null },
      });
      const set = await nvr.api("PUT", path, {
        start: "0 8 * * *",
        stop: "0 18 * * *",
        timezone: "UTC",
      });
      assertEquals(set.status, 200);
      const schedule = { start: "0 8 * * *", stop: "0 18 * * *", timezone: "UTC", enabled: true };
      assertEquals(set.json.schedule, schedule);
      assertEquals(keys(set.json.next_change), ["at", "isRec"]);
      const read = await nvr.api("GET", path);
      assertEquals(read.json.schedule, schedule);
      assertEquals(read.json.next_change, set.json.next_change);
      assertEquals(await nvr.api("DELETE", path), { status: 200, json: 1 });
      assertEquals((await nvr.api("GET", path)).json.schedule, null);
      const bad = await nvr.api("PUT", path, { start: "0 8 * *", stop: "0 18 * * *" });
      assertEquals([bad.status, bad.json.status, bad.json.fields[0].field], [400, 0, "start"]);
    });

    await t.step("options: the defaults; one field error per bad field", async () => {
      const path = "/api/camera/seq/1/gid/2/options";
      assertEquals(await nvr.api("GET", path), {
        status: 200,
        json: {
          gid: 2,
          seq: 1,
          transport: "tcp",
          mode: "copy",
          time_format: "%Y-%m-%d %H:%M:%S",
          sub_iaddr: null,
          record_mode: "continuous",
          post_roll_seconds: 10,
        },
      });
      assertEquals(await nvr.api("PUT", path, { mode: "x" }), {
        status: 400,
        json: {
          status: 0,
          error: "invalid fields",
          fields: [{ field: "mode", message: "must be copy or overlay" }],
        },
      });
    });

    await t.step("retention, keep locks and outages: empty lists of their own shape", async () => {
      const base = "/api/camera/seq/1/gid/2";
      assertEquals((await nvr.api("GET", `${base}/retention`)).json, {
        gid: 2,
        seq: 1,
        max_age_days: null,
        continuous_days: null,
      });
      assertEquals((await nvr.api("GET", `${base}/keep`)).json, { gid: 2, seq: 1, keeps: [] });
      assertEquals((await nvr.api("GET", `${base}/outages`)).json, {
        gid: 2,
        seq: 1,
        outages: [],
      });
    });

    await t.step("404: an unknown camera on every per-camera route, an unknown path", async () => {
      for (
        const path of [
          "/api/camera/seq/1/gid/9",
          "/api/camera/seq/1/gid/9/schedule",
          "/api/camera/seq/1/gid/9/options",
        ]
      ) {
        assertEquals(await nvr.api("GET", path), { status: 404, json: NOT_FOUND }, path);
      }
      for (const path of ["/api/camera/seq/1/gid/9/retention", "/api/camera/seq/1/gid/9/outages"]) {
        const r = await nvr.api("GET", path);
        assertEquals([r.status, r.json.status], [404, 0], path);
      }
      assertEquals(await nvr.api("GET", "/api/nothing"), {
        status: 404,
        json: { status: 0, error: "not found" },
      });
    });

    await t.step("400: malformed identifiers and queries name the field", async () => {
      for (
        const path of [
          "/api/camera/seq/x/gid/2",
          "/api/camera/seq/1/gid/-2/options",
          "/api/camera/seq/1/gid/2/outages?from=yesterday",
        ]
      ) {
        const r = await nvr.api("GET", path);
        assertEquals([r.status, r.json.status], [400, 0], path);
        assert(r.json.fields?.length > 0 || typeof r.json.error === "string", path);
      }
    });
  } finally {
    await nvr.stop();
  }
});
