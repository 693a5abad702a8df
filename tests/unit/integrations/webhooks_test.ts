/** Webhooks (src/integrations/webhooks.ts, signature.ts, bounded_queue.ts) with a FakeClock. */
import { createHmac } from "node:crypto";
import { BoundedQueue } from "../../../src/integrations/bounded_queue.ts";
import { signBody } from "../../../src/integrations/signature.ts";
import { WebhookSender } from "../../../src/integrations/webhooks.ts";
import { createLogger } from "../../../src/log.ts";
import { assert, assertEquals, assertThrows } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";

const SECRET = "0123456789abcdef-secret";
const NO_JITTER = { initialMs: 1000, maxMs: 8000, multiplier: 2, jitter: 0 };

interface Call {
  url: string;
  headers: Headers;
  body: string;
}

/** A receiver answering from `statuses` (the last one repeats); it records every call. */
function receiver(statuses: number[]) {
  const calls: Call[] = [];
  const fetch = ((url: string, init: RequestInit) => {
    calls.push({ url, headers: new Headers(init.headers), body: String(init.body) });
    const status = statuses[Math.min(calls.length - 1, statuses.length - 1)];
    return Promise.resolve(new Response(null, { status }));
  }) as unknown as typeof globalThis.fetch;
  return { calls, fetch };
}

function sender(
  statuses: number[],
  over: Partial<ConstructorParameters<typeof WebhookSender>[0]> = {},
) {
  const clock = new FakeClock();
  const logs: string[] = [];
  const r = receiver(statuses);
  const s = new WebhookSender({
    urls: ["http://hooks.example/a"],
    secret: SECRET,
    clock,
    log: createLogger("json", {}, (l) => logs.push(l)),
    fetch: r.fetch,
    backoff: NO_JITTER,
    ...over,
  });
  return { clock, logs, calls: r.calls, s };
}

Deno.test("signature: sha256= and the hex HMAC-SHA256 of the body, as node:crypto computes it", () => {
  const body = JSON.stringify({ type: "motion", camera: "1-1" });
  const expected = "sha256=" + createHmac("sha256", SECRET).update(body).digest("hex");
  assertEquals(signBody(SECRET, body), expected);
});

Deno.test("webhook: POSTs the JSON with signature, timestamp, event and delivery headers", async () => {
  const { clock, calls, s } = sender([204]);
  s.send({ type: "camera_offline", camera: "1-2" });
  await clock.advance(0);
  assertEquals(calls.length, 1);
  const [c] = calls;
  assertEquals(JSON.parse(c.body), { type: "camera_offline", camera: "1-2" });
  assertEquals(c.headers.get("content-type"), "application/json");
  assertEquals(c.headers.get("x-nvr-event"), "camera_offline");
  assertEquals(c.headers.get("x-nvr-timestamp"), String(Math.floor(clock.now() / 1000)));
  assertEquals(
    c.headers.get("x-nvr-signature"),
    "sha256=" + createHmac("sha256", SECRET).update(c.body).digest("hex"),
  );
  assertEquals(s.metrics(), { sent: 1, failed: 0, retries: 0, dropped: 0, queued: 0 });
  await s.stop();
});

Deno.test("webhook: a 500 is retried after 1 s, 2 s, …; the same delivery id each time", async () => {
  const { clock, calls, s } = sender([500, 503, 200]);
  s.send({ type: "storage_low" });
  await clock.advance(0);
  assertEquals(calls.length, 1);
  await clock.advance(999);
  assertEquals(calls.length, 1, "not before the backoff");
  await clock.advance(1);
  assertEquals(calls.length, 2);
  await clock.advance(1999);
  assertEquals(calls.length, 2);
  await clock.advance(1);
  assertEquals(calls.length, 3);
  const ids = new Set(calls.map((c) => c.headers.get("x-nvr-delivery")));
  assertEquals(ids.size, 1);
  assertEquals(s.metrics(), { sent: 1, failed: 0, retries: 2, dropped: 0, queued: 0 });
  await s.stop();
});

Deno.test("webhook: a 400 is final; retries stop after the last attempt; both counted as failed", async () => {
  const a = sender([400]);
  a.s.send({ type: "recording_paused" });
  await a.clock.advance(60_000);
  assertEquals(a.calls.length, 1);
  assertEquals(a.s.metrics().failed, 1);
  await a.s.stop();

  const b = sender([500], { attempts: 3 });
  b.s.send({ type: "recording_paused" });
  await b.clock.advance(60_000);
  assertEquals(b.calls.length, 3);
  assertEquals(b.s.metrics(), { sent: 0, failed: 1, retries: 2, dropped: 0, queued: 0 });
  assert(b.logs.some((l) => l.includes("webhook delivery failed") && l.includes("HTTP 500")));
  await b.s.stop();
});

Deno.test("webhook: a network error is retried; the URL's password and token are not logged", async () => {
  const clock = new FakeClock();
  const logs: string[] = [];
  let n = 0;
  const s = new WebhookSender({
    urls: ["https://user:hookpass99@hooks.example/x?token=tok3n77"],
    clock,
    log: createLogger("json", {}, (l) => logs.push(l)),
    fetch: (() => {
      n++;
      return Promise.reject(new TypeError("connection refused"));
    }) as unknown as typeof fetch,
    backoff: NO_JITTER,
    attempts: 2,
  });
  s.send({ type: "camera_online" });
  await clock.advance(10_000);
  assertEquals(n, 2);
  assertEquals(s.metrics().failed, 1);
  assert(logs.length > 0, "the failure is logged");
  for (const secret of ["hookpass99", "tok3n77"]) {
    assert(logs.every((l) => !l.includes(secret)), logs.join("\n"));
  }
  await s.stop();
});

Deno.test("webhook: the queue is bounded (oldest dropped, counted) and send never waits", async () => {
  const clock = new FakeClock();
  const bodies: string[] = [];
  let answer!: (r: Response) => void;
  const s = new WebhookSender({
    urls: ["http://hooks.example/a"],
    clock,
    log: createLogger("json", {}, () => {}),
    fetch: ((_u: string, init: RequestInit) => {
      bodies.push(String(init.body));
      return new Promise<Response>((r) => answer = r); // a receiver that hangs
    }) as unknown as typeof fetch,
    queueLimit: 3,
  });
  for (let i = 0; i < 10; i++) s.send({ type: "motion", n: i });
  await clock.advance(0);
  assertEquals(bodies.length, 1, "one delivery at a time");
  assertEquals(s.metrics().queued, 3);
  assertEquals(s.metrics().dropped, 6);
  answer(new Response(null, { status: 200 }));
  await clock.advance(0);
  for (let i = 0; i < 3; i++) {
    answer(new Response(null, { status: 200 }));
    await clock.advance(0);
  }
  assertEquals(bodies.map((b) => JSON.parse(b).n), [0, 7, 8, 9], "the newest are kept, in order");
  assertEquals(s.metrics().sent, 4);
  await s.stop();
});

Deno.test("webhook: each attempt has a timeout (AbortSignal)", async () => {
  const clock = new FakeClock();
  let signal: AbortSignal | undefined;
  const s = new WebhookSender({
    urls: ["http://hooks.example/a"],
    clock,
    log: createLogger("json", {}, () => {}),
    fetch: ((_u: string, init: RequestInit) => {
      signal = init.signal ?? undefined;
      return new Promise<Response>((_r, reject) =>
        init.signal!.addEventListener("abort", () => reject(init.signal!.reason))
      );
    }) as unknown as typeof fetch,
    timeoutMs: 50,
    attempts: 1,
  });
  s.send({ type: "motion" });
  await clock.advance(0);
  assert(signal && !signal.aborted);
  await new Promise((r) => setTimeout(r, 120));
  assert(signal.aborted, "the attempt was aborted by its timeout");
  await clock.advance(0);
  assertEquals(s.metrics().failed, 1);
  await s.stop();
});

Deno.test("bounded queue: keeps the newest `limit` items in order, counts the dropped", () => {
  const q = new BoundedQueue<number>(2);
  assertEquals(q.push(1), undefined);
  assertEquals(q.push(2), undefined);
  assertEquals(q.push(3), 1);
  assertEquals(q.dropped, 1);
  assertEquals(q.length, 2);
  assertEquals(q.peek(), 2);
  assertEquals(q.drain(), [2, 3]);
  assertEquals(q.length, 0);
  assertThrows(() => new BoundedQueue(0));
});
