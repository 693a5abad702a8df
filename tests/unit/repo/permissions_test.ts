/**
 * One definition of how the server runs: deno.json's `start` task. The Dockerfile CMD,
 * the `dev` and `compile` tasks and the test harness must grant exactly its permissions.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../support/assert.ts";
import {
  denoTasks,
  parseDenoCommand,
  REPO,
  serverArgv,
  serverFlags,
  shippedFlags,
} from "../../../tools/server_flags.ts";

const start = () => parseDenoCommand(denoTasks().start);

Deno.test("the start task grants named permissions only (no -A, no blanket read/write/run)", () => {
  const flags = shippedFlags();
  for (const f of ["-A", "--allow-all", "--allow-read", "--allow-write", "--allow-run"]) {
    assert(!flags.includes(f), `${f} in the start task`);
  }
  assert(flags.includes("--allow-write=./media,./data"), flags.join(" "));
  assert(flags.includes("--allow-run=gst-launch-1.0"), flags.join(" "));
});

Deno.test("Dockerfile CMD runs the start task's command", async () => {
  const docker = await Deno.readTextFile(join(REPO, "Dockerfile"));
  const cmd = /^CMD (\[.*\])\s*$/m.exec(docker);
  assert(cmd, "a CMD in exec form");
  const argv: string[] = JSON.parse(cmd[1]);
  assertEquals(argv, ["deno", "run", ...shippedFlags(), "main.ts"]);
});

Deno.test("dev task = start task + --watch and the demo camera", () => {
  const dev = parseDenoCommand(denoTasks().dev);
  assertEquals(dev.subcommand, "run");
  assertEquals(dev.flags.filter((f) => f !== "--watch"), start().flags);
  assert(dev.flags.includes("--watch"));
  assertEquals([dev.entry, dev.args], ["main.ts", ["--demo=on"]]);
});

Deno.test("compile task = start task's permissions (documented: read is not limited to a list)", () => {
  const compile = parseDenoCommand(denoTasks().compile);
  assertEquals(compile.subcommand, "compile");
  assertEquals(compile.entry, "main.ts");
  // The one documented difference (docs/configuration.md, Permissions): the compiled binary reads its
  // embedded static files from a virtual folder Deno picks at run time, so its read
  // access cannot be a list of paths. Everything else is the start task's.
  const expected = start().flags.map((f) => f.startsWith("--allow-read=") ? "--allow-read" : f);
  const perms: string[] = [];
  const build: string[] = [];
  for (let i = 0; i < compile.flags.length; i++) {
    const f = compile.flags[i];
    if (f === "--include" || f === "--output") build.push(f, compile.flags[++i]);
    else perms.push(f);
  }
  assertEquals(perms, expected);
  assertEquals(build, ["--include", "static", "--output", "nvr"]);
});

Deno.test("the harness derives the server's flags from the start task: folders substituted only", () => {
  const flags = serverFlags({ mediaRoot: "/t/media", dataDir: "/t/data" });
  assertEquals(flags.length, shippedFlags().length);
  assert(!flags.includes("-A"));
  assert(flags.includes("--allow-write=/t/media,/t/data"), flags.join(" "));
  const read = flags.find((f) => f.startsWith("--allow-read="))!.split("=")[1].split(",");
  assert(read.includes(REPO.replace(/\/$/, "")) || read.includes(REPO), read.join(","));
  assert(read.includes("/t/media") && read.includes("/t/data"), read.join(","));
  for (const [i, f] of shippedFlags().entries()) {
    if (!/^--allow-(read|write)=/.test(f)) assertEquals(flags[i], f);
  }
  const argv = serverArgv({ mediaRoot: "/t/media", dataDir: "/t/data" }, ["--demo=off"]);
  assertEquals(argv[0], "run");
  assert(argv.includes("--media-root=/t/media") && argv.includes("--data-dir=/t/data"));
});
