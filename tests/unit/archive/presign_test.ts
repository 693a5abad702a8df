import { assert, assertEquals } from "../../support/assert.ts";
import { amzDate, objectUrl, presignUrl } from "../../../src/archive/presign.ts";

const config = {
  endpoint: "http://127.0.0.1:7480",
  bucket: "nvr-archive",
  region: "us-east-1",
  credentials: () => ({ accessKeyId: "AKID123", secretAccessKey: "s3cr3t-value" }),
};
const NOW = Date.UTC(2026, 11, 1, 21, 36, 42, 123);

Deno.test("presign: a path-style GET URL signed in its query, valid for the time asked", async () => {
  assertEquals(amzDate(NOW), "20261201T213642Z");
  const key = "fleet/edge-1/1/1/2026-12-01/213000/1764624600000.ts";
  assertEquals(
    objectUrl(config.endpoint, config.bucket, "a b/c"),
    `${config.endpoint}/nvr-archive/a%20b/c`,
  );
  const url = new URL(await presignUrl(config, key, NOW));
  assertEquals(url.origin + url.pathname, `${config.endpoint}/nvr-archive/${key}`);
  const q = Object.fromEntries(url.searchParams);
  assertEquals(q["X-Amz-Algorithm"], "AWS4-HMAC-SHA256");
  assertEquals(q["X-Amz-Credential"], "AKID123/20261201/us-east-1/s3/aws4_request");
  assertEquals([q["X-Amz-Date"], q["X-Amz-Expires"], q["X-Amz-SignedHeaders"]], [
    "20261201T213642Z",
    "300",
    "host",
  ]);
  assert(/^[0-9a-f]{64}$/.test(q["X-Amz-Signature"]), q["X-Amz-Signature"]);
  assert(!url.href.includes("s3cr3t"), "the secret is never in the URL");
  // The same inputs sign the same; another expiry or instant signs differently.
  assertEquals(await presignUrl(config, key, NOW), url.href);
  const short = new URL(await presignUrl(config, key, NOW, 30));
  assertEquals(short.searchParams.get("X-Amz-Expires"), "30");
  assert(short.searchParams.get("X-Amz-Signature") !== q["X-Amz-Signature"]);
  // Clamped to what S3 accepts (1 s to 7 days).
  const long = new URL(await presignUrl(config, key, NOW, 1e9));
  assertEquals(long.searchParams.get("X-Amz-Expires"), "604800");
});
