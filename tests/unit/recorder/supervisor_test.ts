import { backoffDelay } from "../../../src/recorder/backoff.ts";
import { type RunResult, Supervisor } from "../../../src/recorder/supervisor.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";
import { ScriptedGst } from "../../support/scripted_gst.ts";

function setup(stallMs = 10_000) {
  const clock = new FakeClock();
  const children: ScriptedGst[] = [];
  const results: RunResult[] = [];
  const delays: number[] = [];
  const sup = new Supervisor({
    spawn: () => {
      const c = new ScriptedGst();
      children.push(c);
      return c;
    },
    command: "gst-launch-1.0",
    args: () => ["-m"],
    clock,
    stallMs,
    stopGraceMs: 5000,
    backoff: { initialMs: 1000, maxMs: 8000, multiplier: 2 },
    onExit: (r, d) => {
      results.push(r);
      delays.push(d);
    },
  });
  return { clock, children, results, delays, sup };
}

Deno.test("backoff: 1 s doubling to a 5-minute cap by default, ±20% jitter", () => {
  const mid = () => 0.5; // no jitter
  assertEquals(
    [0, 1, 2, 3, 7, 8, 9, 20, 1000].map((n) => backoffDelay(n, undefined, mid)),
    [1000, 2000, 4000, 8000, 128_000, 256_000, 300_000, 300_000, 300_000],
  );
  assertEquals([0, 9].map((n) => backoffDelay(n, undefined, () => 0)), [800, 240_000]);
  assertEquals([0, 9].map((n) => backoffDelay(n, undefined, () => 0.999_999)), [1200, 360_000]);
  for (let i = 0; i < 1000; i++) {
    const d = backoffDelay(i % 12);
    const base = Math.min(300_000, 1000 * 2 ** (i % 12));
    assert(d >= base * 0.8 && d <= base * 1.2, `attempt ${i % 12}: ${d}`);
  }
  const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(9)));
  assert(spread.size > 10, "cameras down together do not retry in lockstep");
});

Deno.test("backoff with the fake clock: quick first retry, minutes when the camera stays down, quick again after a run that delivered", async () => {
  const clock = new FakeClock();
  const children: ScriptedGst[] = [];
  const starts: number[] = [];
  let dead = true;
  let seed = 42;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const sup = new Supervisor({
    spawn: () => {
      const c = new ScriptedGst();
      children.push(c);
      starts.push(clock.monotonic());
      if (dead) queueMicrotask(() => c.exit(1)); // connection refused at once
      return c;
    },
    command: "gst-launch-1.0",
    args: () => [],
    clock,
    stallMs: 1e9,
    stopGraceMs: 10,
    random,
  });
  sup.start();
  await clock.advance(3_600_000); // a dead camera for an hour
  const gaps = starts.slice(1).map((s, i) => s - starts[i]);
  assert(gaps[0] >= 800 && gaps[0] <= 1200, `first retry after ${gaps[0]} ms`);
  assert(gaps.every((g, i) => i === 0 || g >= gaps[i - 1] * 1.3 || g >= 240_000), `${gaps}`);
  const late = gaps.slice(10);
  assert(late.length > 0 && late.every((g) => g >= 240_000 && g <= 360_000), `late: ${late}`);
  assert(children.length <= 25, `${children.length} runs in an hour (was 130 with a 30 s cap)`);
  // The camera comes back: a run that delivers resets the backoff.
  dead = false;
  const before = children.length;
  await clock.advance(360_000);
  assertEquals(children.length, before + 1);
  sup.kick(true);
  children.at(-1)!.exit(0);
  await clock.advance(500);
  assertEquals(children.length, before + 2, "restarted 500 ms after a run that delivered");
  children.at(-1)!.exit(1);
  await clock.advance(1200);
  assertEquals(children.length, before + 3, "then a failure is retried within about a second");
  await sup.stop();
});

Deno.test("a child that exits (even with code 0) is restarted after a capped backoff", async () => {
  const { clock, children, delays, sup } = setup();
  sup.start();
  await clock.advance(0);
  assertEquals(children.length, 1);
  for (let i = 0; i < 5; i++) {
    children[i].exit(i === 0 ? 0 : 1);
    await clock.advance(0);
    await clock.advance(delays[i] - 1);
    assertEquals(children.length, i + 1, "not restarted before the delay");
    await clock.advance(1);
    assertEquals(children.length, i + 2, "restarted after the delay");
  }
  assertEquals(delays, [1000, 2000, 4000, 8000, 8000]);
  await sup.stop();
});

Deno.test("a healthy run resets the backoff", async () => {
  const { clock, children, delays, sup } = setup();
  sup.start();
  await clock.advance(0);
  children[0].exit(1);
  await clock.advance(1000);
  children[1].exit(1);
  await clock.advance(2000);
  sup.kick(true);
  children[2].exit(0);
  await clock.advance(0);
  assertEquals(delays, [1000, 2000, 500]);
  await clock.advance(500);
  children[3].exit(1);
  await clock.advance(0);
  assertEquals(delays[3], 1000);
  await sup.stop();
});

Deno.test("the watchdog stops a child that produces nothing, with SIGINT", async () => {
  const { clock, children, results, sup } = setup(10_000);
  sup.start();
  await clock.advance(0);
  await clock.advance(6000);
  sup.kick(true);
  await clock.advance(9000);
  assertEquals(children[0].signals, [], "kicked 9 s ago: still alive");
  await clock.advance(1000);
  assertEquals(children[0].signals, ["SIGINT"]);
  assertEquals(results[0].stalled, true);
  await sup.stop();
});

Deno.test("stop sends SIGINT, then SIGKILL after the grace, and does not restart", async () => {
  const { clock, children, sup } = setup();
  sup.start();
  await clock.advance(0);
  children[0].exitOnSigint = false; // a child stuck in EOS
  const stopped = sup.stop();
  await clock.advance(4999);
  assertEquals(children[0].signals, ["SIGINT"]);
  await clock.advance(1);
  assertEquals(children[0].signals, ["SIGINT", "SIGKILL"]);
  await stopped;
  await clock.advance(60_000);
  assertEquals(children.length, 1);
});

Deno.test("stop after a shared Ctrl-C waits for the child before signalling it", async () => {
  const { clock, children, sup } = setup();
  sup.start();
  await clock.advance(0);
  const stopped = sup.stop(3000);
  await clock.advance(1000);
  children[0].exit(0); // finished its EOS by itself
  await clock.advance(0);
  await stopped;
  assertEquals(children[0].signals, []);
});

Deno.test("output lines reach the handler in order", async () => {
  const clock = new FakeClock();
  const seen: string[] = [];
  let child!: ScriptedGst;
  const sup = new Supervisor({
    spawn: () => child = new ScriptedGst(),
    command: "x",
    args: () => [],
    clock,
    stallMs: 1e9,
    stopGraceMs: 10,
    onLine: (s, l) => seen.push(`${s}:${l}`),
  });
  sup.start();
  await clock.advance(0);
  child.print("a");
  child.print("b", "stderr");
  child.print("c");
  await clock.advance(0);
  assertEquals(seen, ["stdout:a", "stderr:b", "stdout:c"]);
  assert(sup.running);
  await sup.stop();
});
