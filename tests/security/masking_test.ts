/**
 * KNOWN BUG (ignored until fixed in src/cameras/source_url.ts): a camera password
 * containing an apostrophe is shown unmasked in GET /api/camera, the pages and log
 * lines. parseSource accepts `'` in credentials and URL encoding keeps it as is, but
 * maskSecrets' URL_PASSWORD stops the password at `'`, so it does not match at all.
 * Fix: let the password part run to `@` (`([^\s@/"]*)@`; whitespace and `"` are
 * already refused by parseSource), and the same in restoreMaskedPassword.
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
