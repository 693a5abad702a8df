/**
 * The MQTT bridge and the integrations' wiring with a scripted client (no broker: the real
 * broker is in tests/integration/mqtt_test.ts): retained topics republished after a
 * reconnect, the bounded offline queue, reconnect backoff, commands, hub events → topics.
 */
import { EventEmitter } from "node:events";
import type { IClientOptions, MqttClient } from "mqtt";
import { EventHub } from "../../../src/events.ts";
import {
  type CameraInfo,
  createIntegrations,
  Integrations,
} from "../../../src/integrations/integrations.ts";
import { MqttBridge } from "../../../src/integrations/mqtt_bridge.ts";
import { topicsFor } from "../../../src/integrations/topics.ts";
import { createLogger } from "../../../src/log.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";

interface Published {
  topic: string;
  payload: string;
  retain: boolean;
}

/** A client that connects when the test says so and records what is published. */
class ScriptedClient extends EventEmitter {
  connected = false;
  disconnected = false;
  published: Published[] = [];
  subscribed: string[] = [];
  reconnects = 0;
  constructor(readonly url: string, readonly options: IClientOptions) {
    super();
  }
  up() {
    this.connected = true;
    this.emit("connect");
  }
  down() {
    this.connected = false;
    this.emit("close");
  }
  publish(topic: string, payload: string, o: { retain?: boolean }, cb?: (e?: Error) => void) {
    this.published.push({ topic, payload, retain: !!o.retain });
    cb?.();
  }
  subscribe(topic: string, _o: unknown, cb?: (e: Error | null) => void) {
    this.subscribed.push(topic);
    cb?.(null);
  }
  reconnect() {
    this.reconnects++;
  }
  end(_force?: boolean, _o?: unknown, cb?: () => void) {
    this.connected = false;
    this.disconnected = true;
    cb?.();
  }
  command(topic: string, payload: string, retain = false) {
    this.emit("message", topic, new TextEncoder().encode(payload), { retain });
  }
}

const topics = topicsFor("nvr", "n1");

function bridge(over: { queueLimit?: number; commands?: [number, number, boolean][] } = {}) {
  const clock = new FakeClock();
  let client!: ScriptedClient;
  const b = new MqttBridge({
    url: "mqtt://u:brokerpw@127.0.0.1:1883",
    maskedUrl: "mqtt://u:***@127.0.0.1:1883",
    clientId: "nvr-n1",
    topics,
    clock,
    log: createLogger("json", {}, () => {}),
    onCommand: (gid, seq, on) => {
      over.commands?.push([gid, seq, on]);
      return Promise.resolve();
    },
    queueLimit: over.queueLimit,
    backoff: { initialMs: 1000, maxMs: 4000, multiplier: 2, jitter: 0 },
    connect: (url, options) =>
      client = new ScriptedClient(url, options) as unknown as ScriptedClient & MqttClient,
  });
  b.start();
  return { b, clock, client: () => client };
}

Deno.test("mqtt: the will is `offline`, retained, on the availability topic", () => {
  const { client } = bridge();
  const o = client().options;
  assertEquals(o.will?.topic, "nvr/n1/availability");
  assertEquals(String(o.will?.payload), "offline");
  assertEquals(o.will?.retain, true);
  assertEquals(o.reconnectPeriod, 0);
  assertEquals(o.rejectUnauthorized, true);
});

Deno.test("mqtt: retained topics are published on connect and again after a reconnect", async () => {
  const { b, clock, client } = bridge();
  b.retain(topics.state(1, 1), "A");
  const c = client();
  c.up();
  assertEquals(c.subscribed, ["nvr/n1/camera/+/recording/set"]);
  assertEquals(c.published.map((p) => [p.topic, p.payload, p.retain]), [
    ["nvr/n1/availability", "online", true],
    ["nvr/n1/camera/1-1/state", "A", true],
  ]);
  c.published = [];
  c.down();
  b.retain(topics.state(1, 1), "B"); // changed while away: the latest is what comes back
  assertEquals(c.published, []);
  await clock.advance(1000);
  assertEquals(c.reconnects, 1);
  c.up();
  assertEquals(c.published.map((p) => p.payload), ["online", "B"]);
  // An unchanged retained value is not published again.
  b.retain(topics.state(1, 1), "B");
  assertEquals(c.published.length, 2);
  assertEquals(b.metrics().reconnects, 1);
  await b.stop();
});

Deno.test("mqtt: events wait in a bounded queue while the broker is away (oldest dropped)", async () => {
  const { b, client } = bridge({ queueLimit: 3 });
  for (let i = 0; i < 5; i++) b.send(topics.events, `e${i}`);
  assertEquals(b.metrics(), {
    connected: false,
    published: 0,
    dropped: 2,
    queued: 3,
    reconnects: 0,
  });
  client().up();
  const events = client().published.filter((p) => p.topic === topics.events);
  assertEquals(events.map((p) => [p.payload, p.retain]), [["e2", false], ["e3", false], [
    "e4",
    false,
  ]]);
  assertEquals(b.metrics().queued, 0);
  b.send(topics.events, "now");
  assertEquals(client().published.at(-1)?.payload, "now");
  await b.stop();
});

Deno.test("mqtt: reconnects back off 1 s, 2 s, 4 s, 4 s (capped) and start over after a connect", async () => {
  const { b, clock, client } = bridge();
  const c = client();
  const waits: number[] = [];
  for (let i = 0; i < 4; i++) {
    c.down();
    const before = c.reconnects;
    let waited = 0;
    while (c.reconnects === before) {
      await clock.advance(250);
      waited += 250;
    }
    waits.push(waited);
  }
  assertEquals(waits, [1000, 2000, 4000, 4000]);
  c.up();
  c.down();
  await clock.advance(1000);
  assertEquals(c.reconnects, 5);
  await b.stop();
  c.down();
  await clock.advance(10_000);
  assertEquals(c.reconnects, 5, "no reconnect after stop");
});

Deno.test("mqtt: recording/set commands are passed on; retained or bad ones are not", async () => {
  const commands: [number, number, boolean][] = [];
  const { b, client } = bridge({ commands });
  client().up();
  client().command("nvr/n1/camera/2-3/recording/set", "OFF");
  client().command("nvr/n1/camera/2-3/recording/set", "ON", true);
  client().command("nvr/n1/camera/2-3/recording/set", "maybe");
  assertEquals(commands, [[2, 3, false]]);
  await b.stop();
});

Deno.test("mqtt: stop publishes offline (retained) and disconnects", async () => {
  const { b, client } = bridge();
  client().up();
  await b.stop();
  assertEquals(client().published.at(-1), {
    topic: "nvr/n1/availability",
    payload: "offline",
    retain: true,
  });
  assert(client().disconnected);
});

Deno.test("integrations: hub events become retained topics, messages and removals", async () => {
  const clock = new FakeClock();
  const hub = new EventHub();
  const cams = new Map<string, CameraInfo>([["1-1", {
    gid: 1,
    seq: 1,
    name: "Door",
    isRec: 1,
    status: { state: "recording" },
  }]]);
  const setCalls: [number, number, number][] = [];
  let client!: ScriptedClient;
  const integrations = new Integrations({
    config: {
      mqtt: { url: "mqtt://127.0.0.1:1", maskedUrl: "mqtt://127.0.0.1:1", prefix: "nvr" },
      webhookUrls: [],
      linkBase: "http://nvr.test:8000",
    },
    node: "n1",
    events: hub,
    service: {
      list: () => [...cams.values()],
      get: (g, s) => cams.get(`${g}-${s}`),
      setRecording: (g, s, isRec) => {
        setCalls.push([g, s, isRec]);
        const c = cams.get(`${g}-${s}`)!;
        cams.set(`${g}-${s}`, {
          ...c,
          isRec,
          status: { state: isRec ? "recording" : "streaming" },
        });
        return Promise.resolve();
      },
    },
    clock,
    log: createLogger("json", {}, () => {}),
    connect: (url, options) =>
      client = new ScriptedClient(url, options) as unknown as ScriptedClient & MqttClient,
  });
  integrations.start();
  client.up();
  const retained = () =>
    new Map(client.published.filter((p) => p.retain).map((p) => [p.topic, p.payload]));
  assertEquals(JSON.parse(retained().get("nvr/n1/camera/1-1/state")!).state, "recording");
  assertEquals(retained().get("nvr/n1/camera/1-1/motion"), "OFF");
  assert(retained().has("homeassistant/switch/n1_1_1_recording/config"));

  hub.publish({
    type: "motion",
    at: 5,
    gid: 1,
    seq: 1,
    phase: "start",
    event: { id: "a", start: 5, score: 0.3, box: [0, 0, 1, 1] },
  });
  assertEquals(retained().get("nvr/n1/camera/1-1/motion"), "ON");
  assertEquals(
    retained().get("nvr/n1/camera/1-1/snapshot_url"),
    "http://nvr.test:8000/1/1/snapshot.jpg?t=5",
  );
  const msgs = () =>
    client.published.filter((p) => p.topic === "nvr/n1/events").map((p) => JSON.parse(p.payload));
  assertEquals(msgs().map((m) => [m.type, m.phase]), [["motion", "start"]]);
  hub.publish({
    type: "motion",
    at: 9,
    gid: 1,
    seq: 1,
    phase: "end",
    event: { id: "a", start: 5, end: 9, score: 0.3, box: [0, 0, 1, 1] },
  });
  assertEquals(retained().get("nvr/n1/camera/1-1/motion"), "OFF");
  assertEquals(msgs().map((m) => m.phase), ["start", "end"]);

  hub.publish({
    type: "camera_state",
    at: 10,
    gid: 1,
    seq: 1,
    state: "failed",
    isRec: 1,
    lastError: "rtsp://a:campw1234@x/ 401",
  });
  const state = retained().get("nvr/n1/camera/1-1/state")!;
  assertEquals(JSON.parse(state).state, "failed");
  assert(!state.includes("campw1234"));

  client.command("nvr/n1/camera/1-1/recording/set", "OFF");
  await clock.advance(0);
  assertEquals(setCalls, [[1, 1, 0]]);
  assertEquals(JSON.parse(retained().get("nvr/n1/camera/1-1/state")!).isRec, 0);

  hub.publish({ type: "camera_removed", at: 11, gid: 1, seq: 1 });
  for (
    const topic of [
      "homeassistant/binary_sensor/n1_1_1_motion/config",
      "homeassistant/switch/n1_1_1_recording/config",
      "homeassistant/binary_sensor/n1_1_1_connectivity/config",
      "homeassistant/image/n1_1_1_snapshot/config",
      "nvr/n1/camera/1-1/state",
    ]
  ) assertEquals(retained().get(topic), "", topic);
  await integrations.stop();
  assertEquals(hub.listeners, 0);
});

Deno.test("integrations: none without --mqtt-url or --webhook-url; unsigned webhooks are warned of", async () => {
  const logs: string[] = [];
  const deps = {
    node: "n1",
    events: new EventHub(),
    service: { list: () => [], get: () => undefined, setRecording: () => Promise.resolve() },
    clock: new FakeClock(),
    log: createLogger("json", {}, (l) => logs.push(l)),
  };
  const none = createIntegrations({ ...deps, config: { webhookUrls: [], linkBase: "http://x" } });
  assertEquals(none, undefined);
  assertEquals(deps.events.listeners, 0);
  const hooks = createIntegrations({
    ...deps,
    config: { webhookUrls: ["http://hooks.example/"], linkBase: "http://x" },
  })!;
  assert(hooks.webhooks && !hooks.mqtt);
  assert(logs.some((l) => l.includes("webhooks are not signed")));
  await hooks.stop();
});
