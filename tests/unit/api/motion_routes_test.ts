/** GET/PUT /api/camera/seq/{seq}/gid/{gid}/motion in-process: defaults, changes, field errors, restarts. */
import { contractCamera } from "../../support/api_call.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { InProcessNvr } from "../../support/in_process.ts";
import { flush } from "../../support/fake_clock.ts";

const PATH = "/api/camera/seq/1/gid/2/motion";
const DEFAULTS = { enabled: true, sensitivity: 50, min_area: 0.01, masks: [] };

Deno.test("motion settings API: defaults, partial PUT, validation, 404, live vs restart", async () => {
  const nvr = await new InProcessNvr().start();
  try {
    assertEquals((await nvr.api("POST", "/api/camera", contractCamera())).status, 201);
    assertEquals(await nvr.api("GET", PATH), { status: 200, json: DEFAULTS });
    const first = nvr.children.at(-1)!;
    assert(
      first.args.includes("avdec_h264"),
      "detection is on by default: the child has the branch",
    );

    const mask = [[0, 0], [0.5, 0], [0.5, 0.25]];
    let r = await nvr.api("PUT", PATH, { sensitivity: 80, masks: [mask] });
    assertEquals(r, {
      status: 200,
      json: { status: 1, ...DEFAULTS, sensitivity: 80, masks: [mask] },
    });
    r = await nvr.api("PUT", PATH, { min_area: 0.05 });
    assertEquals(r.json.sensitivity, 80, "missing fields are unchanged");
    assertEquals(nvr.children.length, 1, "sensitivity, min_area and masks apply without a restart");

    r = await nvr.api("PUT", PATH, {
      enabled: "yes",
      sensitivity: 0,
      min_area: 2,
      masks: [[[0, 0], [1, 1]]],
      extra: 1,
    });
    assertEquals(r.status, 400);
    assertEquals(r.json.status, 0);
    const fields = r.json.fields.map((f: { field: string }) => f.field).sort();
    assertEquals(fields, ["enabled", "extra", "masks.0", "min_area", "sensitivity"]);
    r = await nvr.api("PUT", PATH, { masks: [[[0, 0], [1.5, 0], [1, 1]]] });
    assertEquals([r.status, r.json.fields[0].field], [400, "masks.0.1.0"]);
    r = await nvr.api("PUT", PATH, { masks: Array(17).fill(mask) });
    assertEquals([r.status, r.json.fields[0].field], [400, "masks"]);
    assertEquals((await nvr.api("GET", "/api/camera/seq/1/gid/9/motion")).status, 404);

    r = await nvr.api("PUT", PATH, { enabled: false });
    assertEquals(r.json.enabled, false);
    for (let i = 0; i < 50 && nvr.children.length < 2; i++) {
      await nvr.clock.advance(500);
      await flush();
    }
    assertEquals(nvr.children.length, 2, "turning detection off restarts the child");
    assert(!nvr.children[1].args.includes("avdec_h264"), "the new run has no motion branch");
    assertEquals((await nvr.api("GET", PATH)).json, {
      enabled: false,
      sensitivity: 80,
      min_area: 0.05,
      masks: [mask],
    });
  } finally {
    await nvr.stop();
  }
});

Deno.test("motion settings API: --motion=off turns detection off for cameras without a setting", async () => {
  const nvr = await new InProcessNvr({ args: ["--motion=off"] }).start();
  try {
    await nvr.api("POST", "/api/camera", contractCamera());
    assertEquals((await nvr.api("GET", PATH)).json.enabled, false);
    assert(!nvr.children.at(-1)!.args.includes("avdec_h264"));
  } finally {
    await nvr.stop();
  }
});
