/** SerialQueue: one at a time, in order; a failed task is reported once and the queue goes on. */
import { SerialQueue } from "../../../src/util/serial_queue.ts";
import { assertEquals } from "../../support/assert.ts";

Deno.test("SerialQueue: tasks run one at a time, in the order queued", async () => {
  const q = new SerialQueue();
  const log: string[] = [];
  const task = (name: string, ms: number) => async () => {
    log.push(`${name}>`);
    await new Promise((r) => setTimeout(r, ms));
    log.push(`<${name}`);
    return name;
  };
  q.push(task("a", 20));
  const b = q.run(task("b", 1));
  q.push(task("c", 1));
  assertEquals(await b, "b");
  await q.idle();
  assertEquals(log, ["a>", "<a", "b>", "<b", "c>", "<c"]);
});

Deno.test("SerialQueue: an error goes to the caller of run() or to onError, and the queue goes on", async () => {
  const reported: unknown[] = [];
  const q = new SerialQueue((err) => reported.push(String(err)));
  const ran: string[] = [];
  q.push(() => {
    throw new Error("pushed");
  });
  const failing = q.run(() => Promise.reject(new Error("run")));
  q.push(() => ran.push("after"));
  const error = await failing.then(() => "resolved", (err) => String(err));
  await q.idle();
  assertEquals(error, "Error: run");
  assertEquals(reported, ["Error: pushed"], "a run() error is the caller's, reported once");
  assertEquals(ran, ["after"]);
});

Deno.test("SerialQueue: a reporter that throws does not stop the queue, idle() never rejects", async () => {
  const q = new SerialQueue(() => {
    throw new Error("reporter");
  });
  const ran: string[] = [];
  q.push(() => Promise.reject(new Error("task")));
  q.push(() => ran.push("next"));
  await q.idle();
  assertEquals(ran, ["next"]);
});
