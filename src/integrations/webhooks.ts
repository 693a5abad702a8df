/**
 * Webhooks: every event's JSON POSTed to each `--webhook-url`, signed (signature.ts), with
 * `X-NVR-Timestamp` (unix seconds of the attempt), `X-NVR-Event` and `X-NVR-Delivery` (the
 * same id on every attempt of one delivery). Each URL has its own bounded queue and one
 * delivery at a time, in order; a failed attempt (network error, timeout, 408, 429, 5xx) is
 * retried with capped backoff, other answers are final. `send` only queues: nothing waits
 * for a receiver.
 */
import { type Clock, sleep } from "../clock.ts";
import type { Logger } from "../log.ts";
import { backoffDelay, type BackoffOptions } from "../recorder/backoff.ts";
import { maskSecrets } from "../util/redact.ts";
import { BoundedQueue } from "./bounded_queue.ts";
import { signBody } from "./signature.ts";

export interface WebhookDeps {
  urls: string[];
  secret?: string;
  clock: Clock;
  log: Logger;
  /** The HTTP client (tests pass their own). */
  fetch?: typeof fetch;
  /** Per attempt (default 5 s). */
  timeoutMs?: number;
  /** Deliveries waiting per URL (default 200); the oldest is dropped beyond. */
  queueLimit?: number;
  /** Attempts per delivery (default 6: the first and five retries). */
  attempts?: number;
  backoff?: BackoffOptions;
}

export const WEBHOOK_BACKOFF: BackoffOptions = {
  initialMs: 1000,
  maxMs: 30_000,
  multiplier: 2,
  jitter: 0.2,
};

export interface WebhookMetrics {
  /** Deliveries a receiver accepted (2xx). */
  sent: number;
  /** Deliveries given up (a final answer, or every attempt failed). */
  failed: number;
  /** Attempts after the first. */
  retries: number;
  /** Deliveries dropped from a full queue. */
  dropped: number;
  /** Deliveries waiting now. */
  queued: number;
}

interface Delivery {
  id: string;
  type: string;
  body: string;
}

/** Whether an answer's status is worth another attempt. */
export const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

class Target {
  queue: BoundedQueue<Delivery>;
  running = false;
  constructor(readonly url: string, limit: number) {
    this.queue = new BoundedQueue(limit);
  }
}

export class WebhookSender {
  #d: WebhookDeps;
  #targets: Target[];
  #stop = new AbortController();
  #loops = new Set<Promise<void>>();
  #m = { sent: 0, failed: 0, retries: 0 };

  constructor(deps: WebhookDeps) {
    this.#d = deps;
    this.#targets = deps.urls.map((u) => new Target(u, deps.queueLimit ?? 200));
  }

  /** Queues `event` for every URL and returns at once. */
  send(event: { type: string } & Record<string, unknown>): void {
    if (this.#stop.signal.aborted) return;
    const delivery = { id: crypto.randomUUID(), type: event.type, body: JSON.stringify(event) };
    for (const t of this.#targets) {
      if (t.queue.push(delivery) && t.queue.dropped === 1) {
        const url = maskSecrets(t.url);
        this.#d.log.warn("webhook queue full: the oldest events are dropped", { url });
      }
      if (!t.running) this.#run(t);
    }
  }

  metrics(): WebhookMetrics {
    const sum = (f: (t: Target) => number) => this.#targets.reduce((n, t) => n + f(t), 0);
    return { ...this.#m, dropped: sum((t) => t.queue.dropped), queued: sum((t) => t.queue.length) };
  }

  /** Stops: the attempt in flight is aborted, what waits is dropped. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await Promise.all(this.#loops);
  }

  #run(t: Target): void {
    t.running = true;
    const loop = (async () => {
      while (true) {
        const delivery = this.#stop.signal.aborted ? undefined : t.queue.shift();
        // Cleared in the same turn the queue is seen empty: a send() right after starts a loop.
        if (!delivery) return void (t.running = false);
        await this.#deliver(t, delivery).catch(() => {});
      }
    })().finally(() => this.#loops.delete(loop));
    this.#loops.add(loop);
  }

  async #deliver(t: Target, delivery: Delivery): Promise<void> {
    const attempts = this.#d.attempts ?? 6;
    let problem = "";
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        this.#m.retries++;
        const delay = backoffDelay(attempt - 1, this.#d.backoff ?? WEBHOOK_BACKOFF);
        if (!await sleep(this.#d.clock, delay, this.#stop.signal)) return;
      }
      const status = await this.#attempt(t.url, delivery).catch((err) => {
        problem = this.#stop.signal.aborted ? "stopped" : String((err as Error)?.message ?? err);
        return undefined;
      });
      if (this.#stop.signal.aborted) return;
      if (status !== undefined && status >= 200 && status < 300) {
        this.#m.sent++;
        return;
      }
      if (status !== undefined) problem = `HTTP ${status}`;
      if (status !== undefined && !retryable(status)) break;
    }
    this.#m.failed++;
    this.#d.log.warn("webhook delivery failed", {
      url: maskSecrets(t.url),
      event: delivery.type,
      error: maskSecrets(problem),
    });
  }

  /** One POST; its status, or a throw for a network error or timeout. */
  async #attempt(url: string, delivery: Delivery): Promise<number> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "nvr-webhook",
      "x-nvr-event": delivery.type,
      "x-nvr-delivery": delivery.id,
      "x-nvr-timestamp": String(Math.floor(this.#d.clock.now() / 1000)),
    };
    if (this.#d.secret) headers["x-nvr-signature"] = signBody(this.#d.secret, delivery.body);
    const signal = AbortSignal.any([
      this.#stop.signal,
      AbortSignal.timeout(this.#d.timeoutMs ?? 5000),
    ]);
    const res = await (this.#d.fetch ?? fetch)(url, {
      method: "POST",
      headers,
      body: delivery.body,
      signal,
      redirect: "manual",
    });
    await res.body?.cancel().catch(() => {});
    return res.status;
  }
}
