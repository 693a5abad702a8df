/**
 * The connection to the MQTT broker (the `mqtt` package): retained messages are kept here
 * by topic and published again after every reconnect (availability, camera states, motion,
 * discovery); other messages (events) wait in a bounded queue while the broker is away,
 * the oldest dropped and counted. Nothing waits for the broker: `retain` and `send` return
 * at once. The will publishes `offline` (retained) on availability when the connection dies;
 * reconnects back off (capped, jittered). `recording/set` commands go to `onCommand`;
 * retained commands are ignored (a command acts once, not at every reconnect).
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import { backoffDelay, type BackoffOptions } from "../recorder/backoff.ts";
import { maskUrl } from "../util/redact.ts";
import { BoundedQueue } from "./bounded_queue.ts";
import { parseRecordingSet, type Topics } from "./topics.ts";

export type MqttConnect = (url: string, options: IClientOptions) => MqttClient;

export interface MqttBridgeDeps {
  /** Broker URL, with credentials (never logged). */
  url: string;
  /** The URL for logs (password masked). */
  maskedUrl: string;
  clientId: string;
  topics: Topics;
  clock: Clock;
  log: Logger;
  /** A `recording/set` command arrived. */
  onCommand(gid: number, seq: number, on: boolean): Promise<void>;
  /** Events kept while the broker is away (default 1000). */
  queueLimit?: number;
  backoff?: BackoffOptions;
  /** Opens the client (tests may pass their own). */
  connect?: MqttConnect;
}

export const MQTT_BACKOFF: BackoffOptions = {
  initialMs: 1000,
  maxMs: 10_000,
  multiplier: 2,
  jitter: 0.2,
};

export interface MqttMetrics {
  connected: boolean;
  /** Messages handed to the broker. */
  published: number;
  /** Events dropped from the full offline queue. */
  dropped: number;
  /** Events waiting for the broker now. */
  queued: number;
  /** Connections made after the first. */
  reconnects: number;
}

const QOS = 1 as const;

export class MqttBridge {
  #d: MqttBridgeDeps;
  #retained = new Map<string, string>();
  #queue: BoundedQueue<{ topic: string; payload: string }>;
  #client?: MqttClient;
  #attempt = 0;
  #timer?: number;
  #stopped = false;
  #connects = 0;
  #published = 0;
  #wasUp = false;
  /** The connection's last error (a refused certificate, bad credentials, …), for the log. */
  #lastError?: string;

  constructor(deps: MqttBridgeDeps) {
    this.#d = deps;
    this.#queue = new BoundedQueue(deps.queueLimit ?? 1000);
    this.#retained.set(deps.topics.availability, "online");
  }

  get connected(): boolean {
    return this.#client?.connected === true;
  }

  /** The retained payload of `topic` now ("" for a removed one). */
  retainedOf(topic: string): string | undefined {
    return this.#retained.get(topic);
  }

  /** Sets a retained topic (published now when connected, else after the next connect). */
  retain(topic: string, payload: string): void {
    if (this.#retained.get(topic) === payload) return;
    this.#retained.set(topic, payload);
    if (this.connected) this.#publish(topic, payload, true);
  }

  /** Sends a message now, or queues it until the broker is back. */
  send(topic: string, payload: string): void {
    if (this.connected) this.#publish(topic, payload, false);
    else if (this.#queue.push({ topic, payload }) && this.#queue.dropped === 1) {
      this.#d.log.warn("mqtt: broker away and the queue is full: oldest events are dropped");
    }
  }

  metrics(): MqttMetrics {
    return {
      connected: this.connected,
      published: this.#published,
      dropped: this.#queue.dropped,
      queued: this.#queue.length,
      reconnects: Math.max(0, this.#connects - 1),
    };
  }

  start(): void {
    if (this.#client || this.#stopped) return;
    const { topics } = this.#d;
    const options: IClientOptions = {
      clientId: this.#d.clientId,
      clean: true,
      keepalive: 30,
      connectTimeout: 5000,
      reconnectPeriod: 0, // reconnects are ours, with backoff
      queueQoSZero: false,
      rejectUnauthorized: true, // mqtts: the broker's certificate is checked
      will: { topic: topics.availability, payload: "offline", qos: QOS, retain: true },
    };
    const client = (this.#d.connect ?? mqtt.connect)(this.#d.url, options);
    this.#client = client;
    client.on("connect", () => this.#onConnect());
    client.on("close", () => this.#onClose());
    client.on("error", (err) => {
      this.#lastError = maskUrl(String(err?.message ?? err));
      this.#d.log.debug("mqtt: connection error", { error: this.#lastError });
    });
    client.on("message", (topic, payload, packet) => {
      if (packet.retain) return;
      const cmd = parseRecordingSet(topics, topic, new TextDecoder().decode(payload));
      if (!cmd) {
        this.#d.log.warn("mqtt: ignored command (payload must be ON or OFF)", { topic });
        return;
      }
      this.#d.onCommand(cmd.gid, cmd.seq, cmd.on).catch((err) =>
        this.#d.log.warn("mqtt: recording/set failed", { topic, error: String(err?.message) })
      );
    });
  }

  /** Publishes `offline` and disconnects (at most `timeoutMs`); no reconnect after. */
  async stop(timeoutMs = 2000): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#d.clock.clearTimeout(this.#timer);
    const client = this.#client;
    if (!client) return;
    const ended = new Promise<void>((resolve) => {
      const end = () => client.end(false, {}, () => resolve());
      if (client.connected) {
        client.publish(this.#d.topics.availability, "offline", { qos: QOS, retain: true }, end);
      } else client.end(true, {}, () => resolve());
    });
    let timer: number | undefined;
    const late = new Promise<void>((r) => timer = this.#d.clock.setTimeout(r, timeoutMs));
    await Promise.race([ended, late]);
    this.#d.clock.clearTimeout(timer!);
    if (!client.disconnected) client.end(true);
  }

  #publish(topic: string, payload: string, retain: boolean): void {
    this.#published++;
    this.#client!.publish(topic, payload, { qos: QOS, retain }, (err) => {
      if (err) this.#d.log.debug("mqtt: publish failed", { topic, error: String(err.message) });
    });
  }

  #onConnect(): void {
    this.#attempt = 0;
    this.#connects++;
    this.#wasUp = true;
    this.#d.log.info("mqtt: connected", { broker: this.#d.maskedUrl });
    this.#client!.subscribe(this.#d.topics.recordingSetFilter, { qos: QOS }, (err) => {
      if (err) this.#d.log.warn("mqtt: cannot subscribe", { error: String(err.message) });
    });
    for (const [topic, payload] of this.#retained) this.#publish(topic, payload, true);
    for (const m of this.#queue.drain()) this.#publish(m.topic, m.payload, false);
  }

  #onClose(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    const fields = { broker: this.#d.maskedUrl, error: this.#lastError };
    if (this.#wasUp) {
      this.#wasUp = false;
      this.#d.log.warn("mqtt: connection lost, reconnecting", fields);
    } else if (this.#attempt === 0) {
      this.#d.log.warn("mqtt: cannot connect, retrying", fields);
    }
    this.#lastError = undefined;
    const delay = backoffDelay(this.#attempt++, this.#d.backoff ?? MQTT_BACKOFF);
    this.#timer = this.#d.clock.setTimeout(() => {
      this.#timer = undefined;
      if (!this.#stopped) this.#client?.reconnect();
    }, delay);
  }
}
