/** The disk guard's events (recording_paused/resumed, storage_low) on the hub. */
import { EventHub, type NvrEvent } from "../../../src/events.ts";
import { createLogger } from "../../../src/log.ts";
import { DiskGuard } from "../../../src/storage/disk_guard.ts";
import { assertEquals } from "../../support/assert.ts";

const MiB = 2 ** 20;

Deno.test("disk guard: storage_low once per fall, paused and resumed when the decision changes", async () => {
  const hub = new EventHub();
  const seen: NvrEvent[] = [];
  hub.on((e) => seen.push(e));
  let free = 500 * MiB;
  const disk = new DiskGuard({
    mediaRoot: "/nowhere",
    minFreeBytes: 100 * MiB, // low under 100 MiB, paused under 50 MiB
    log: createLogger("json", {}, () => {}),
    space: () => Promise.resolve({ freeBytes: free, totalBytes: 10_000 * MiB }),
    events: hub,
    now: () => 42,
  });
  const step = async (mib: number) => {
    free = mib * MiB;
    await disk.check();
    return seen.splice(0).map((e) => e.type);
  };
  assertEquals(await step(500), []);
  assertEquals(await step(90), ["storage_low"]);
  assertEquals(await step(80), [], "once per fall");
  assertEquals(await step(40), ["recording_paused"]);
  assertEquals(await step(30), []);
  assertEquals(await step(60), ["recording_resumed"]);
  assertEquals(await step(200), []);
  assertEquals(await step(20), ["storage_low", "recording_paused"]);
  free = 20 * MiB;
  await disk.check();
  assertEquals(seen, []);
  await step(200);
  const low = (await (async () => {
    free = 70 * MiB;
    await disk.check();
    return seen.splice(0);
  })())[0];
  assertEquals(low, { type: "storage_low", at: 42, freeBytes: 70 * MiB });
});
