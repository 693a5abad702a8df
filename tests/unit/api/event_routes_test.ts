/**
 * Motion event API in-process: synthetic motion events published on the recorder's hub
 * become stored events (per camera, across cameras, a day's activity, days with events),
 * inputs are validated (400 with fields, 404 unknown camera), and the events follow the
 * camera on a group move and to `deleted/` on delete.
 */
import type { MotionEventData } from "../../../src/events.ts";
import { localDate } from "../../../src/time.ts";
import { contractCamera as cam } from "../../support/api_call.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { InProcessNvr } from "../../support/in_process.ts";

const T0 = Date.parse("2026-05-10T10:00:00Z");
const box: MotionEventData["box"] = [0.25, 0.25, 0.5, 0.5];

function motion(
  nvr: InProcessNvr,
  gid: number,
  seq: number,
  phase: "start" | "update" | "end",
  event: MotionEventData,
) {
  nvr.recorder.events.publish({ type: "motion", at: nvr.clock.now(), gid, seq, phase, event });
}

Deno.test("motion event API in-process", async (t) => {
  const nvr = await new InProcessNvr({ start: T0 + 3_600_000 }).start();
  const q = (ms: number) => new Date(ms).toISOString();
  try {
    await nvr.api("POST", "/api/camera", cam());
    await nvr.api("POST", "/api/camera", cam({ seq: 4, gid: 1 }));
    const e1 = { id: "20260510-100000-000", start: T0, score: 0.04, box };
    motion(nvr, 2, 1, "start", e1);
    motion(nvr, 2, 1, "update", { ...e1, score: 0.25, peak: T0 + 2000 });
    motion(nvr, 2, 1, "end", { ...e1, score: 0.25, end: T0 + 8000 });
    const e2 = { id: "b", start: T0 + 60_000, score: 0.1, box };
    motion(nvr, 1, 4, "start", e2);
    // Not a registered camera: not stored.
    motion(nvr, 9, 9, "start", { id: "x", start: T0, score: 0.1, box });

    await t.step("one camera's events, default the last 24 h", async () => {
      const r = await nvr.api("GET", "/api/camera/seq/1/gid/2/events");
      assertEquals(r.status, 200);
      assertEquals(r.json.events, [{
        id: e1.id,
        start: q(T0),
        end: q(T0 + 8000),
        score: 0.25,
        box,
        thumbnail_url: `/2/1/events/${e1.id}.jpg`,
      }]);
      const open = await nvr.api(
        "GET",
        `/api/camera/seq/4/gid/1/events?from=${T0}&to=${q(T0 + 120_000)}`,
      );
      assertEquals(open.json.events.map((e: { end: null }) => e.end), [null]);
      const none = await nvr.api(
        "GET",
        `/api/camera/seq/1/gid/2/events?from=${T0 + 9000}&to=${T0 + 50_000}`,
      );
      assertEquals(none.json.events, []);
    });

    await t.step("across cameras, sorted by start; a camera filter", async () => {
      let r = await nvr.api("GET", `/api/events?from=${q(T0 - 1000)}`);
      assertEquals(r.json.events.map((e: { camera: string }) => e.camera), ["2-1", "1-4"]);
      assertEquals(Object.keys(r.json.events[1]).sort(), [
        "box",
        "camera",
        "end",
        "gid",
        "id",
        "score",
        "seq",
        "start",
        "thumbnail_url",
      ]);
      r = await nvr.api("GET", `/api/events?from=${T0 - 1000}&cameras=1-4,7-7`);
      assertEquals(r.json.events.map((e: { id: string }) => e.id), ["b"]);
    });

    await t.step("activity of a day and days with events", async () => {
      const date = localDate(T0);
      const r = await nvr.api("GET", `/api/camera/seq/1/gid/2/activity?date=${date}`);
      assertEquals([r.json.date, r.json.bucket_seconds], [date, 10]);
      assert(r.json.levels.length >= 8280 && r.json.levels.length <= 9000);
      const i = Math.floor((T0 - Date.parse(r.json.start)) / 10_000);
      assertEquals(r.json.levels.slice(i - 1, i + 2), "050");
      assertEquals(r.json.levels.replace(/0/g, ""), "5");
      const d = await nvr.api(
        "GET",
        `/api/camera/seq/1/gid/2/events/days?from=2026-01-01&to=2026-12-31`,
      );
      assertEquals(d.json.days, [{ date, events: 1 }]);
    });

    await t.step(
      "bad inputs are 400 with fields; unknown camera 404; no thumbnail yet 404",
      async () => {
        const bad = async (path: string, field: string) => {
          const r = await nvr.api("GET", path);
          assertEquals([r.status, r.json.status, r.json.fields?.[0]?.field], [400, 0, field], path);
        };
        await bad("/api/camera/seq/1/gid/2/events?from=yesterday", "from");
        await bad(`/api/camera/seq/1/gid/2/events?from=${T0}&to=${T0 - 1}`, "to");
        await bad(`/api/camera/seq/1/gid/2/events?from=${T0}&to=${T0 + 40 * 86_400_000}`, "to");
        await bad("/api/camera/seq/1/gid/2/events?color=red", "color");
        await bad("/api/events?cameras=2:1", "cameras");
        await bad("/api/camera/seq/1/gid/2/activity", "date");
        await bad("/api/camera/seq/1/gid/2/activity?date=2026-02-30", "date");
        await bad("/api/camera/seq/1/gid/2/events/days?from=2020-01-01&to=2026-01-01", "to");
        assertEquals((await nvr.api("GET", "/api/camera/seq/1/gid/77/events")).status, 404);
        assertEquals(
          (await nvr.api("GET", "/api/camera/seq/x/gid/2/activity?date=2026-01-01")).status,
          400,
        );
        assertEquals((await nvr.fetch(`/2/1/events/${e1.id}.jpg`)).status, 404);
        assertEquals((await nvr.fetch(`/2/1/events/nope.jpg`)).status, 404);
        assertEquals((await nvr.fetch(`/2/1/events/..%2f..%2fx.jpg`)).status, 404);
      },
    );

    await t.step("events move with the camera to another group, and to deleted/", async () => {
      const moved = await nvr.api("PUT", "/api/camera", { ...cam(), b_gid: 2, gid: 3 });
      assertEquals(moved.status, 200);
      const r = await nvr.api("GET", `/api/camera/seq/1/gid/3/events?from=${T0 - 1000}`);
      assertEquals(r.json.events.map((e: { id: string }) => e.id), [e1.id]);
      assertEquals(r.json.events[0].thumbnail_url, `/3/1/events/${e1.id}.jpg`);
      assertEquals((await nvr.api("DELETE", "/api/camera/seq/1/gid/3")).status, 200);
      const deleted = [...Deno.readDirSync(`${nvr.mediaRoot}/deleted`)].map((e) => e.name);
      assertEquals(deleted.length, 1);
      const files = [...Deno.readDirSync(`${nvr.mediaRoot}/deleted/${deleted[0]}/events`)];
      assertEquals(files.map((f) => f.name), [`${localDate(T0)}.jsonl`]);
    });
  } finally {
    await nvr.stop();
  }
});
