/** The program as a user starts it: a bad setting is one clear message and exit code 2. */
import { join } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";
import { serverArgv } from "../../tools/server_flags.ts";

Deno.test("invalid configuration exits with code 2 and names the setting", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "nvr-cli-" });
  const out = await new Deno.Command(Deno.execPath(), {
    args: serverArgv(
      { mediaRoot: join(tmp, "media"), dataDir: join(tmp, "data") },
      ["--port=eighty", "--demo=off"],
    ),
    env: { NVR_SEGMENT_SECONDS: "99" },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 2);
  assert(stderr.includes("--port (NVR_PORT)"), stderr);
  assert(stderr.includes("--segment-seconds (NVR_SEGMENT_SECONDS)"), stderr);
  assert(!stderr.includes("    at "), "no stack trace");
  await Deno.remove(tmp, { recursive: true });
});
