/** The motion editor's pure parts: normalized points, SVG points, area %, the PUT body. */
import { assertEquals } from "../../support/assert.ts";
import {
  areaToPercent,
  canClose,
  motionBody,
  motionFieldErrors,
  movePoint,
  normalizedPoint,
  percentToArea,
  svgPoints,
} from "../../../src/web/client/mask_math.ts";

const box = { left: 100, top: 50, width: 400, height: 200 };

Deno.test("a click becomes a point in 0–1 of the picture, clamped and rounded", () => {
  assertEquals(normalizedPoint(100, 50, box), [0, 0]);
  assertEquals(normalizedPoint(500, 250, box), [1, 1]);
  assertEquals(normalizedPoint(300, 100, box), [0.5, 0.25]);
  assertEquals(normalizedPoint(133.3333, 50, box), [0.0833, 0]);
  // Outside the picture (a drag past its edge): on the edge.
  assertEquals(normalizedPoint(0, 400, box), [0, 1]);
  // A picture not laid out yet has no size: no NaN.
  assertEquals(normalizedPoint(10, 10, { left: 0, top: 0, width: 0, height: 0 }), [0, 0]);
});

Deno.test("the keyboard cursor stays in the picture", () => {
  assertEquals(movePoint([0.5, 0.5], 0.02, -0.1), [0.52, 0.4]);
  assertEquals(movePoint([0.99, 0.01], 0.1, -0.1), [1, 0]);
});

Deno.test("polygons are drawn in a 0–100 view box; 3 points close one", () => {
  assertEquals(svgPoints([[0, 0], [0.5, 0.25], [1, 1]]), "0,0 50,25 100,100");
  assertEquals(svgPoints([]), "");
  assertEquals(canClose([[0, 0], [1, 0]]), false);
  assertEquals(canClose([[0, 0], [1, 0], [1, 1]]), true);
});

Deno.test("the minimum area is a percentage in the form and a fraction in the API", () => {
  assertEquals(areaToPercent(0.01), "1");
  assertEquals(areaToPercent(0.0025), "0.25");
  assertEquals(percentToArea("1"), 0.01);
  assertEquals(percentToArea(" 0,5 "), 0.005);
  assertEquals(percentToArea(".5"), 0.005);
  assertEquals(percentToArea("100"), 1);
  for (const bad of ["", "-1", "101", "1e2", "abc", "1.2.3"]) {
    assertEquals(percentToArea(bad), undefined, bad);
  }
});

Deno.test("the PUT body, or the form's errors before sending", () => {
  const form = {
    enabled: true,
    sensitivity: 70,
    minAreaPercent: "2",
    masks: [[[0, 0], [0.5, 0], [0.5, 0.5]] as [number, number][]],
    draft: [] as [number, number][],
  };
  assertEquals(motionBody(form), {
    body: { enabled: true, sensitivity: 70, min_area: 0.02, masks: form.masks },
  });
  const bad = motionBody({ ...form, minAreaPercent: "x", draft: [[0.1, 0.1]] });
  assertEquals(Object.keys("errors" in bad ? bad.errors : {}).sort(), ["masks", "min_area"]);
});

Deno.test("the API's field errors carry the form's labels", () => {
  assertEquals(
    motionFieldErrors([
      { field: "masks.1.0", message: "a point is [x, y], each 0–1" },
      { field: "sensitivity", message: "must be <= 100" },
      { field: "colour", message: "unknown field" },
    ]),
    {
      masks: "Masks (mask 2): a point is [x, y], each 0–1",
      sensitivity: "Sensitivity: must be <= 100",
      form: "colour: unknown field",
    },
  );
  assertEquals(motionFieldErrors(undefined), {});
});
