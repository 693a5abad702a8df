/**
 * One side of the MQTT event-rate benchmark (bench/mqtt_rate.ts), in a process of its own.
 * Usage: mqtt_publisher.ts nvr|bare BROKER_URL EVENTS [RATE]
 * - `nvr`: the server's path: motion events (a start and an end each) published on an
 *   EventHub, turned into MQTT messages by Integrations and MqttBridge, sent by mqtt.js.
 * - `bare`: the same messages (recorded from the same code with a client that only keeps
 *   them), sent by a bare mqtt.js client with the bridge's options (QoS 1).
 * The camera's discovery and retained topics are sent first, outside the measure. Then
 * EVENTS events as fast as they go (RATE 0) or RATE events/s; the measure ends when the
 * broker has acknowledged every message. Prints one JSON line: events, messages, wall ms and
 * the process's CPU (user + system) over that window.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { cpuUsage } from "node:process";
import { systemClock } from "../src/clock.ts";
import { EventHub, type NvrEvent } from "../src/events.ts";
import { Integrations } from "../src/integrations/integrations.ts";
import { createLogger } from "../src/log.ts";

const NODE = "bench";
const [mode, url, eventsArg, rateArg] = Deno.args;
const events = Number(eventsArg), rate = Number(rateArg ?? 0);
const camera = { gid: 1, seq: 1, name: "Porch", isRec: 1 as const, status: { state: "recording" } };
type Sent = { topic: string; payload: string; retain: boolean };

/** Hub events in order: event i starts, then ends 4 s of event time later. */
function motion(i: number, phase: "start" | "end"): NvrEvent {
  const start = 1_780_000_000_000 + i * 10_000;
  const at = phase === "start" ? start : start + 4000;
  const event = { id: `e${i}`, start, end: phase === "end" ? at : undefined, score: 0.2 };
  const box: [number, number, number, number] = [0.1, 0.2, 0.3, 0.4];
  return { type: "motion", gid: 1, seq: 1, at, phase, event: { ...event, box, peak: start } };
}

/** The hub, the integrations and mqtt.js as the server builds them. */
function serverPath(connect: (u: string, o: IClientOptions) => MqttClient) {
  const hub = new EventHub();
  const integrations = new Integrations({
    config: {
      mqtt: { url, maskedUrl: url, prefix: "nvr" },
      webhookUrls: [],
      linkBase: "http://192.168.1.10:8000",
    },
    node: NODE,
    events: hub,
    service: { list: () => [camera], get: () => camera, setRecording: () => Promise.resolve() },
    clock: systemClock,
    log: createLogger("json", {}, () => {}),
    connect,
  });
  integrations.start();
  return { hub, integrations };
}

/** What the server path sends: the set-up messages, then those of the events. */
function recordMessages(): { setup: Sent[]; perEvent: Sent[] } {
  const sent: Sent[] = [];
  const handlers = new Map<string, () => void>();
  const fake = {
    connected: false,
    on: (name: string, fn: () => void) => (handlers.set(name, fn), fake),
    publish: (topic: string, payload: string, o: { retain: boolean }, cb?: () => void) => {
      sent.push({ topic, payload, retain: o.retain });
      cb?.();
    },
    subscribe: () => {},
  };
  const { hub } = serverPath(() => fake as unknown as MqttClient);
  fake.connected = true;
  handlers.get("connect")!();
  const setup = sent.splice(0);
  for (let i = 0; i < events / 2; i++) {
    hub.publish(motion(i, "start"));
    hub.publish(motion(i, "end"));
  }
  return { setup, perEvent: sent };
}

const acked = (c: MqttClient) =>
  new Promise<void>((resolve) => {
    const check = () => Object.keys(c.outgoing).length === 0 ? resolve() : setTimeout(check, 2);
    check();
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls `send(i)` for i in 0..n-1, all at once (rate 0) or `rate` a second, in 10 ms ticks. */
async function pace(n: number, send: (i: number) => void): Promise<void> {
  if (!rate) {
    for (let i = 0; i < n; i++) send(i);
    return;
  }
  const t0 = performance.now();
  for (let i = 0; i < n;) {
    const due = Math.min(n, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    for (; i < due; i++) send(i);
    await sleep(10);
  }
}

let client!: MqttClient;
let send: () => Promise<number>;
if (mode === "nvr") {
  const { hub, integrations } = serverPath((u, o) => client = mqtt.connect(u, o));
  await new Promise<void>((r) => client.once("connect", () => r()));
  send = async () => {
    const before = integrations.mqtt!.metrics().published;
    await pace(events, (i) => hub.publish(motion(i >> 1, i % 2 ? "end" : "start")));
    await acked(client);
    return integrations.mqtt!.metrics().published - before;
  };
} else {
  const { setup, perEvent } = recordMessages();
  client = await mqtt.connectAsync(url, {
    clientId: `nvr-${NODE}`,
    clean: true,
    keepalive: 30,
    reconnectPeriod: 0,
    queueQoSZero: false,
  });
  const out = (m: Sent) => client.publish(m.topic, m.payload, { qos: 1, retain: m.retain });
  setup.forEach(out);
  // Events map to messages in order; an event's messages are those up to its events message.
  const byEvent: Sent[][] = [[]];
  for (const m of perEvent) {
    byEvent.at(-1)!.push(m);
    if (m.topic.endsWith("/events")) byEvent.push([]);
  }
  send = async () => {
    await pace(events, (i) => byEvent[i].forEach(out));
    await acked(client);
    return perEvent.length;
  };
}
await acked(client);
await sleep(200);
const cpu0 = cpuUsage();
const t0 = performance.now();
const messages = await send();
const ms = performance.now() - t0;
const cpu = cpuUsage(cpu0);
console.log(
  JSON.stringify({ mode, events, rate, messages, ms, cpuMs: (cpu.user + cpu.system) / 1000 }),
);
await client.endAsync(true);
Deno.exit(0);
