/**
 * A supervisor callback that throws (a line handler, the exit handler) is reported and
 * the restart loop goes on: it must never float out as an unhandled rejection, which
 * ends the whole process (every camera) — the test runner fails on one.
 */
import type { ChildExit, ChildHandle } from "../../../src/recorder/child_process.ts";
import { Supervisor } from "../../../src/recorder/supervisor.ts";
import { assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";

/** A child that prints `lines` and exits with code 1 right away. */
function shortChild(lines: string[]): ChildHandle {
  let exit!: (e: ChildExit) => void;
  const status = new Promise<ChildExit>((r) => exit = r);
  return {
    pid: 1,
    status,
    lines: (async function* () {
      for (const line of lines) yield { stream: "stdout" as const, line };
      exit({ code: 1, signal: null });
    })(),
    kill: () => exit({ code: 0, signal: "SIGINT" }),
  };
}

Deno.test("supervisor: throwing callbacks are reported, the child is still restarted", async () => {
  const clock = new FakeClock();
  const errors: string[] = [];
  let runs = 0;
  const sup = new Supervisor({
    spawn: () => (runs++, shortChild(["boom"])),
    command: "gst-launch-1.0",
    args: () => [],
    clock,
    stallMs: 1e9,
    stopGraceMs: 10,
    random: () => 0.5,
    onStart: () => {
      throw new Error("onStart");
    },
    onLine: (_s, line) => {
      throw new Error(line);
    },
    onExit: () => {
      throw new Error("onExit");
    },
    onError: (what, err) => errors.push(`${what}: ${(err as Error).message}`),
  });
  sup.start();
  await clock.advance(5_000); // runs at 0, ~1 s, ~3 s (default backoff)
  await sup.stop();
  assertEquals(runs >= 2, true, `restarted (${runs} runs)`);
  assertEquals(errors.slice(0, 3), ["onStart: onStart", "onLine: boom", "onExit: onExit"]);
});
