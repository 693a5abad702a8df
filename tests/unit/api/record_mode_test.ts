/**
 * Record modes and retention tiers through the API, in-process: `record_mode` and
 * `post_roll_seconds` on the options endpoint (defaults, validation, no restart of the
 * camera's child), `continuous_days` on the retention endpoint (with `max_age_days`).
 */
import { contractCamera as cam } from "../../support/api_call.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { InProcessNvr } from "../../support/in_process.ts";

Deno.test("record mode and retention tier API in-process", async (t) => {
  const nvr = await new InProcessNvr().start();
  const options = "/api/camera/seq/1/gid/2/options";
  const retention = "/api/camera/seq/1/gid/2/retention";
  try {
    await nvr.api("POST", "/api/camera", cam({ isRec: 1 }));
    await nvr.clock.advance(10);

    await t.step(
      "options: a sub-stream without a restart, masked, kept, refused, removed",
      async () => {
        const spawned = nvr.children.length;
        let r = await nvr.api("PUT", options, { sub_iaddr: "rtsp://admin:s3cr%40t@10.0.0.9/sub" });
        assertEquals([r.status, r.json.sub_iaddr], [200, "rtsp://admin:***@10.0.0.9/sub"]);
        await nvr.clock.advance(5000);
        assertEquals(nvr.children.length, spawned, "the recording was not restarted");
        // Sent back masked (as a client that read it does): the password is kept.
        r = await nvr.api("PUT", options, { sub_iaddr: "rtsp://admin:***@10.0.0.9/sub" });
        assertEquals(r.status, 200);
        const stored = await Deno.readTextFile(`${nvr.dataDir}/camera_settings.json`);
        assert(stored.includes("rtsp://admin:s3cr%40t@10.0.0.9/sub"), "the password is kept");
        // Masked toward another host: refused, as for an iaddr.
        for (
          const bad of ["rtsp://admin:***@10.0.0.10/sub", "http://10.0.0.9/x.mjpg", "rtsp://a b"]
        ) {
          r = await nvr.api("PUT", options, { sub_iaddr: bad });
          assertEquals([r.status, r.json.fields?.[0]?.field], [400, "sub_iaddr"], bad);
        }
        r = await nvr.api("PUT", options, { sub_iaddr: null });
        assertEquals([r.status, r.json.sub_iaddr], [200, null]);
      },
    );

    await t.step(
      "options: continuous and 10 s by default; motion mode without a restart",
      async () => {
        let r = await nvr.api("GET", options);
        assertEquals([r.json.record_mode, r.json.post_roll_seconds], ["continuous", 10]);
        const spawned = nvr.children.length;
        assert(spawned > 0, "the camera's child runs");
        r = await nvr.api("PUT", options, { record_mode: "motion", post_roll_seconds: 30 });
        assertEquals([r.status, r.json.record_mode, r.json.post_roll_seconds], [200, "motion", 30]);
        await nvr.clock.advance(5000);
        assertEquals(nvr.children.length, spawned, "no new child: the camera was not restarted");
        r = await nvr.api("PUT", options, { transport: "udp" });
        assertEquals([r.json.record_mode, r.json.transport], ["motion", "udp"], "others unchanged");
        await nvr.clock.advance(5000);
        assert(
          nvr.children.length > spawned,
          "a source option does restart it (the check sees one)",
        );
        r = await nvr.api("GET", options);
        assertEquals([r.json.record_mode, r.json.post_roll_seconds], ["motion", 30]);
      },
    );

    await t.step("options: bad values are 400 with fields", async () => {
      for (
        const [body, field] of [
          [{ record_mode: "sometimes" }, "record_mode"],
          [{ post_roll_seconds: 301 }, "post_roll_seconds"],
          [{ post_roll_seconds: 1.5 }, "post_roll_seconds"],
          [{ post_roll_seconds: "10" }, "post_roll_seconds"],
        ] as const
      ) {
        const r = await nvr.api("PUT", options, body);
        assertEquals([r.status, r.json.fields?.[0]?.field], [400, field], JSON.stringify(body));
      }
    });

    await t.step("retention: continuous_days with max_age_days; missing keeps it", async () => {
      let r = await nvr.api("GET", retention);
      assertEquals([r.json.max_age_days, r.json.continuous_days], [null, null]);
      r = await nvr.api("PUT", retention, { max_age_days: 30, continuous_days: 7 });
      assertEquals([r.status, r.json.max_age_days, r.json.continuous_days], [200, 30, 7]);
      r = await nvr.api("PUT", retention, { max_age_days: 60 });
      assertEquals([r.json.max_age_days, r.json.continuous_days], [60, 7]);
      r = await nvr.api("PUT", retention, { max_age_days: 5 });
      assertEquals([r.status, r.json.fields?.[0]?.field], [400, "continuous_days"]);
      r = await nvr.api("PUT", retention, { max_age_days: 10, continuous_days: 11 });
      assertEquals([r.status, r.json.fields?.[0]?.field], [400, "continuous_days"]);
      r = await nvr.api("PUT", retention, { max_age_days: 10, continuous_days: -1 });
      assertEquals([r.status, r.json.fields?.[0]?.field], [400, "continuous_days"]);
      r = await nvr.api("PUT", retention, { max_age_days: null, continuous_days: null });
      assertEquals([r.json.max_age_days, r.json.continuous_days], [null, null]);
    });
  } finally {
    await nvr.stop();
  }
});
