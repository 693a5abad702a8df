/** The archive's settings: parsing, required credentials (env only), and secrets kept out. */
import { loadConfig } from "../../../src/config/config.ts";
import {
  parseArchiveUrl,
  parseBitrate,
  parseDuration,
} from "../../../src/config/archive_config.ts";
import { assert, assertEquals, assertThrows } from "../../support/assert.ts";

const ENV = { NVR_ARCHIVE_ACCESS_KEY_ID: "AKID123", NVR_ARCHIVE_SECRET_ACCESS_KEY: "s3cr3t-value" };

Deno.test("archive config: durations, bit rates and s3:// URLs", () => {
  assertEquals(["90s", "30m", "12h", "7d", "1.5h"].map(parseDuration), [
    90_000,
    1_800_000,
    43_200_000,
    604_800_000,
    5_400_000,
  ]);
  assertEquals(["", "7", "0s", "3w", "-1d"].map(parseDuration), Array(5).fill(undefined));
  assertEquals(["500k", "20M", "1G", "8000000", "2Mbps"].map(parseBitrate), [
    5e5,
    2e7,
    1e9,
    8e6,
    2e6,
  ]);
  assertEquals(parseBitrate("fast"), undefined);
  assertEquals(parseArchiveUrl("s3://nvr-archive/fleet/a/"), {
    bucket: "nvr-archive",
    prefix: "fleet/a",
  });
  assertEquals(parseArchiveUrl("s3://nvr-archive"), { bucket: "nvr-archive", prefix: "" });
  for (const bad of ["http://x/y", "s3://A_B/x", "s3://ok-bucket/../x", "s3://ok-bucket/a b"]) {
    assertEquals(typeof parseArchiveUrl(bad), "string", bad);
  }
});

Deno.test("archive config: resolved from flags + env; off without --archive-url", () => {
  assertEquals(loadConfig([], {}).archive, undefined);
  const c = loadConfig([
    "--archive-url=s3://nvr-archive/fleet",
    "--archive-endpoint=http://127.0.0.1:7480/",
    "--local-max-age=30m",
    "--archive-max-bitrate=20M",
    "--node-id=edge-1",
  ], ENV);
  const a = c.archive!;
  assertEquals([a.bucket, a.prefix, a.endpoint, a.region], [
    "nvr-archive",
    "fleet",
    "http://127.0.0.1:7480",
    "us-east-1",
  ]);
  assertEquals([a.localMaxAgeMs, a.maxBitrate, a.bundleSeconds, c.nodeId], [
    1_800_000,
    20e6,
    60,
    "edge-1",
  ]);
  assertEquals(a.presign, false);
  const on = loadConfig(["--archive-url=s3://nvr-archive"], { ...ENV, NVR_ARCHIVE_PRESIGN: "on" });
  assertEquals(on.archive!.presign, true);
  const e = assertThrows(() =>
    loadConfig(["--archive-url=s3://b1b", "--archive-presign=yes"], ENV)
  );
  assert(e.message.includes("--archive-presign (NVR_ARCHIVE_PRESIGN)"), e.message);
  assertEquals(a.credentials(), { accessKeyId: "AKID123", secretAccessKey: "s3cr3t-value" });
  // The secret never appears in a serialization of the config.
  assert(!JSON.stringify(c).includes("s3cr3t"), "secret in the config's JSON");
  assertEquals(
    loadConfig(["--archive-url=s3://nvr-archive", "--archive-region=eu-west-3"], ENV).archive!
      .endpoint,
    "https://s3.eu-west-3.amazonaws.com",
  );
});

Deno.test("archive config: missing credentials, a max age without an archive, bad values → errors", () => {
  const e1 = assertThrows(() => loadConfig(["--archive-url=s3://nvr-archive"], {}));
  assert(e1.message.includes("NVR_ARCHIVE_ACCESS_KEY_ID"), e1.message);
  const e2 = assertThrows(() => loadConfig(["--local-max-age=7d"], ENV));
  assert(e2.message.includes("--local-max-age"), e2.message);
  const e3 = assertThrows(
    () => loadConfig(["--archive-url=s3://nvr-archive", "--local-max-age=soon"], ENV),
  );
  assert(e3.message.includes("NVR_LOCAL_MAX_AGE"), e3.message);
  // The secret is not a flag: it cannot be given on the command line.
  assertThrows(() => loadConfig(["--archive-secret-access-key=x"], ENV));
});
