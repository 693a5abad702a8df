/** Schedules: pure evaluation across DST and midnight, and the scheduler with a fake clock. */
import { createLogger } from "../../../src/log.ts";
import { nextEdge, scheduledOn, scheduleErrors } from "../../../src/schedule/schedule.ts";
import { Scheduler } from "../../../src/schedule/scheduler.ts";
import { CameraSettings } from "../../../src/cameras/settings.ts";
import { assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";

const at = (iso: string) => Date.parse(iso);
const office = {
  start: "0 8 * * 1-5",
  stop: "0 18 * * 1-5",
  timezone: "Europe/Berlin",
  enabled: true,
};
const night = {
  start: "0 22 * * *",
  stop: "0 6 * * *",
  timezone: "America/New_York",
  enabled: true,
};

Deno.test("schedule: weekday office hours in a zone, weekends off", () => {
  // Monday 2026-03-23, Berlin is UTC+1 (CET).
  assertEquals(scheduledOn(office, at("2026-03-23T06:59:00Z")), false);
  assertEquals(scheduledOn(office, at("2026-03-23T07:00:00Z")), true, "08:00 CET: edge passed");
  assertEquals(scheduledOn(office, at("2026-03-23T16:59:00Z")), true);
  assertEquals(scheduledOn(office, at("2026-03-23T17:00:00Z")), false);
  assertEquals(scheduledOn(office, at("2026-03-28T10:00:00Z")), false, "Saturday");
  assertEquals(nextEdge(office, at("2026-03-27T18:00:00Z")), {
    at: at("2026-03-30T06:00:00Z"), // Monday 08:00 CEST (UTC+2 after the DST change)
    on: true,
  });
});

Deno.test("schedule: DST spring forward and fall back keep local wall times", () => {
  // Berlin springs forward on 2026-03-29 (02:00 → 03:00) and falls back on 2026-10-25.
  const daily = {
    start: "30 2 * * *",
    stop: "0 12 * * *",
    timezone: "Europe/Berlin",
    enabled: true,
  };
  const spring = nextEdge(daily, at("2026-03-28T12:00:00Z"))!;
  assertEquals(spring.at, at("2026-03-29T01:00:00Z"), "02:30 does not exist: first moment after");
  const fall = nextEdge(daily, at("2026-10-24T12:00:00Z"))!;
  assertEquals(fall.at, at("2026-10-25T00:30:00Z"), "02:30 happens twice: fires once, CEST");
  const after = nextEdge(daily, fall.at)!;
  assertEquals([after.at, after.on], [at("2026-10-25T11:00:00Z"), false], "12:00 CET");
  assertEquals(nextEdge(office, at("2026-10-23T17:00:00Z"))!.at, at("2026-10-26T07:00:00Z"));
});

Deno.test("schedule: an overnight window rolls over midnight", () => {
  // New York, EST (UTC-5) in January.
  assertEquals(scheduledOn(night, at("2026-01-10T02:59:00Z")), false, "21:59");
  assertEquals(scheduledOn(night, at("2026-01-10T03:00:00Z")), true, "22:00");
  assertEquals(scheduledOn(night, at("2026-01-10T05:00:00Z")), true, "00:00 next day");
  assertEquals(scheduledOn(night, at("2026-01-10T10:59:00Z")), true, "05:59");
  assertEquals(scheduledOn(night, at("2026-01-10T11:00:00Z")), false, "06:00");
  assertEquals(nextEdge(night, at("2026-01-10T04:00:00Z")), {
    at: at("2026-01-10T11:00:00Z"),
    on: false,
  });
});

Deno.test("schedule: invalid expressions and zones are reported per field", () => {
  const errors = scheduleErrors({
    start: "0 25 * * *",
    stop: "nope",
    timezone: "UTC",
    enabled: true,
  });
  assertEquals(errors.map((e) => e.field), ["start", "stop"]);
  assertEquals(scheduleErrors({ ...office, timezone: "Mars/Olympus" })[0].field, "timezone");
  assertEquals(scheduleErrors(office), []);
});

Deno.test("scheduler: applies edges; a manual change holds until the next edge", async () => {
  const clock = new FakeClock(at("2026-01-09T20:00:00Z")); // Friday 15:00 New York
  let isRec = false;
  const applied: [string, boolean][] = [];
  const scheduler = new Scheduler({
    clock,
    log: createLogger("json", {}, () => {}),
    schedules: () => [{ gid: 1, seq: 1, schedule: night }],
    apply: (_g, _s, on) => {
      applied.push([new Date(clock.now()).toISOString(), on]);
      isRec = on;
      return Promise.resolve();
    },
  });
  await scheduler.start();
  assertEquals(isRec, false, "current state applied at start: off");
  await clock.advance(7 * 3_600_000); // past 22:00 local
  assertEquals(isRec, true);
  assertEquals(applied.at(-1)![0], "2026-01-10T03:00:00.000Z");
  isRec = false; // manual off at 22:00: holds…
  await clock.advance(8 * 3_600_000);
  assertEquals(applied.length, 3, "…until the 06:00 edge, which says off");
  await clock.advance(16 * 3_600_000); // 22:00 again
  assertEquals([isRec, applied.length], [true, 4]);
  scheduler.stop();
  assertEquals(clock.pending, 0, "no timer left");
});

Deno.test("settings: schedule, max age and keep locks persist, follow a group move, go with the camera", async () => {
  const dir = await Deno.makeTempDir();
  const a = new CameraSettings(dir);
  await a.load();
  await a.update(1, 5, (e) => ({ ...e, schedule: night, maxAgeDays: 7 }));
  await a.update(1, 5, (e) => ({ ...e, keeps: [{ id: "k1", startMs: 10, endMs: 20 }] }));
  await a.move(1, 2, 5);
  const b = new CameraSettings(dir);
  await b.load();
  assertEquals(b.get(2, 5).schedule, night);
  assertEquals(b.get(2, 5).maxAgeDays, 7);
  assertEquals(b.allKeeps(), [{ gid: 2, seq: 5, startMs: 10, endMs: 20 }]);
  assertEquals(b.get(1, 5), { keeps: [] });
  await b.remove(2, 5);
  const c = new CameraSettings(dir);
  await c.load();
  assertEquals(c.get(2, 5), { keeps: [] });
});

Deno.test("scheduler: sync plans schedules it does not know and drops removed ones", async () => {
  const clock = new FakeClock(at("2026-01-09T20:00:00Z"));
  let list = [{ gid: 1, seq: 1, schedule: night }];
  const applied: boolean[] = [];
  const scheduler = new Scheduler({
    clock,
    log: createLogger("json", {}, () => {}),
    schedules: () => list,
    apply: (_g, _s, on) => Promise.resolve(void applied.push(on)),
  });
  scheduler.sync();
  assertEquals([applied.length, clock.pending], [0, 1], "planned, current state not applied");
  list = [];
  scheduler.sync();
  assertEquals(clock.pending, 0);
  await clock.advance(24 * 3_600_000);
  assertEquals(applied.length, 0, "a removed camera's schedule never fires");
});

Deno.test("scheduler: a sync while an edge is being applied does not start a second timer chain", async () => {
  const clock = new FakeClock(at("2026-01-09T20:00:00Z")); // Friday 15:00 New York
  const applied: boolean[] = [];
  let release = () => {};
  const scheduler = new Scheduler({
    clock,
    log: createLogger("json", {}, () => {}),
    schedules: () => [{ gid: 1, seq: 1, schedule: night }],
    // Applying an edge takes a while (the camera's lock, a registry write).
    apply: (_g, _s, on) => {
      applied.push(on);
      return new Promise<void>((r) => release = r);
    },
  });
  scheduler.sync();
  assertEquals(clock.pending, 1);
  await clock.advance(7 * 3_600_000); // 22:00 local: the edge fires, its apply is in flight
  assertEquals([applied, clock.pending], [[true], 0]);
  scheduler.sync(); // a retention pass follows settings changes in that gap
  release();
  await clock.advance(0);
  assertEquals(clock.pending, 1, "one timer for the camera");
  await clock.advance(8 * 3_600_000); // 06:00 local: the edge fires once
  release();
  await clock.advance(0);
  assertEquals(applied, [true, false]);
  scheduler.stop();
  assertEquals(clock.pending, 0, "stop cancels every timer");
  await clock.advance(24 * 3_600_000);
  assertEquals(applied, [true, false], "nothing fires after stop");
});

Deno.test("scheduler: set() racing a sync, or another set(), plans one timer", async () => {
  const clock = new FakeClock(at("2026-01-09T20:00:00Z"));
  const applied: boolean[] = [];
  const releases: (() => void)[] = [];
  const scheduler = new Scheduler({
    clock,
    log: createLogger("json", {}, () => {}),
    schedules: () => [{ gid: 1, seq: 1, schedule: night }],
    apply: (_g, _s, on) => {
      applied.push(on);
      return new Promise<void>((r) => releases.push(r));
    },
  });
  const first = scheduler.set(1, 1, night);
  scheduler.sync();
  const second = scheduler.set(1, 1, night);
  releases.forEach((r) => r());
  await Promise.all([first, second]);
  await clock.advance(0);
  assertEquals(clock.pending, 1);
  scheduler.clear(1, 1);
  assertEquals(clock.pending, 0, "clear cancels the one chain");
  await clock.advance(24 * 3_600_000);
  releases.forEach((r) => r());
  assertEquals(applied, [false, false], "only the two set() calls applied anything");
});
