/**
 * Regression: a camera password containing an apostrophe was shown unmasked in
 * GET /api/camera, the pages and log lines (maskSecrets' URL pattern stopped the password
 * at `'` and then did not match at all). The password part now runs to `@`.
 */
import { maskSecrets, maskUrl, parseSource } from "../../src/cameras/source_url.ts";
import { assert, assertEquals } from "../support/assert.ts";

Deno.test({
  name: "a password with an apostrophe is masked",
  fn() {
    const iaddr = `rtsp://op:${encodeURIComponent("s3cr'et!")}@10.0.0.5/h264`;
    assertEquals(parseSource(iaddr).password, "s3cr'et!", "accepted as a source");
    assertEquals(maskUrl(iaddr), "rtsp://op:***@10.0.0.5/h264");
    assert(!maskSecrets(`{"iaddr":"${iaddr}"}`).includes("s3cr"), "log line masked");
  },
});
