import { ConfigError, loadConfig } from "../../../src/config/config.ts";
import { assert, assertEquals, assertThrows } from "../../support/assert.ts";

Deno.test("defaults, env and flags (flags win) resolve to an absolute config", () => {
  const c = loadConfig(["--port", "9000"], { NVR_PORT: "7000", NVR_MEDIA_ROOT: "/srv/media" });
  assertEquals(c.port, 9000);
  assertEquals(c.mediaRoot, "/srv/media");
  assertEquals(c.host, "0.0.0.0");
  assertEquals(c.segmentSeconds, 2);
  assert(c.dataDir.endsWith("/data"));
  assertEquals(
    loadConfig(["--public-url=http://nvr.lan:8000/"], {}).publicUrl,
    "http://nvr.lan:8000",
  );
});

Deno.test("invalid settings name the field, flag and env var", () => {
  const err = assertThrows(
    () => loadConfig(["--port=http", "--segment-seconds=0"], { NVR_DEMO: "maybe" }),
    /invalid configuration/,
  );
  assert(err instanceof ConfigError);
  for (const part of ["--port (NVR_PORT)", "--segment-seconds", "--demo (NVR_DEMO)"]) {
    assert(err.message.includes(part), `${part} in ${err.message}`);
  }
  assertThrows(() => loadConfig(["--colour=blue"], {}), /Unknown option/);
  assertThrows(() => loadConfig(["--controller-url=ftp://x"], {}), /controller-url/);
});

Deno.test("the log level is a validated setting like the rest", () => {
  assertEquals(loadConfig([], {}).logLevel, "info");
  assertEquals(loadConfig([], { NVR_LOG_LEVEL: "debug" }).logLevel, "debug");
  assertThrows(() => loadConfig([], { NVR_LOG_LEVEL: "verbose" }), /--log-level \(NVR_LOG_LEVEL\)/);
});
