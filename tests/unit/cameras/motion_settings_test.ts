import { assertEquals } from "../../support/assert.ts";
import { applyMotionInput, motionSettings } from "../../../src/cameras/motion_settings.ts";

Deno.test("motion settings: defaults, --motion default, partial changes, hand-edited values ignored", () => {
  assertEquals(motionSettings(undefined, true), {
    enabled: true,
    sensitivity: 50,
    minArea: 0.01,
    masks: [],
  });
  assertEquals(motionSettings(undefined, false).enabled, false);
  assertEquals(motionSettings({ enabled: true }, false).enabled, true, "a camera's own wins");
  const stored = applyMotionInput({ sensitivity: 70 }, { min_area: 0.2 });
  assertEquals(stored, { sensitivity: 70, minArea: 0.2 });
  assertEquals(applyMotionInput(stored, { masks: [] }).masks, []);
  // Written by hand: out of range or of the wrong shape → defaults (enabled kept when a boolean).
  const bad = { enabled: false, sensitivity: 500, masks: [[[2, 2]]] } as never;
  assertEquals(motionSettings(bad, true), {
    enabled: false,
    sensitivity: 50,
    minArea: 0.01,
    masks: [],
  });
});
