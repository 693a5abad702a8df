/**
 * MQTT and webhooks against real parts: Debian's mosquitto (with a password file) started
 * here, the recorder as a real process with the start task's permissions, `test://` cameras.
 * Motion events come from the hub in-process (synthetic events against the real broker and
 * a real webhook receiver), so their timing does not depend on a detector's scene.
 */
import { EventHub } from "../../src/events.ts";
import { type CameraInfo, Integrations } from "../../src/integrations/integrations.ts";
import { MqttBridge } from "../../src/integrations/mqtt_bridge.ts";
import { topicsFor } from "../../src/integrations/topics.ts";
import { createLogger } from "../../src/log.ts";
import { systemClock } from "../../src/clock.ts";
import { createHmac } from "node:crypto";
import { assert, assertEquals } from "../support/assert.ts";
import { freePort, Nvr, RtspServer, waitFor } from "../support/harness.ts";
import { type Message, Mosquitto, MQTT_PASSWORD, MqttWatch } from "../support/mosquitto.ts";

const NODE = "itest";
const CAM_PASSWORD = "campass99";
const ENTITIES = [
  "binary_sensor/itest_1_1_motion",
  "switch/itest_1_1_recording",
  "binary_sensor/itest_1_1_connectivity",
  "image/itest_1_1_snapshot",
];
const config = (entity: string) => `homeassistant/${entity}/config`;
const state = (cam: string) => `nvr/${NODE}/camera/${cam}/state`;
const json = (m: Message) => (m.payload ? JSON.parse(m.payload) : undefined);

Deno.test("mqtt: discovery and states retained, motion from the detector, recording/set, deletion, broker down 20 s, the will", async () => {
  let broker = await new Mosquitto().start();
  // The motion scene: a box appears at wall-clock seconds 3 mod 12 and leaves at 7.
  const rtsp = await new RtspServer({ motionScenes: true }).start();
  const port = broker.port;
  const nvr = new Nvr({
    extraArgs: [`--mqtt-url=${broker.url}`, `--node-id=${NODE}`, "--log-format=json"],
  });
  const watches: MqttWatch[] = [];
  const watch = async () => {
    const w = await MqttWatch.connect(port, [`nvr/${NODE}/#`, "homeassistant/#"]);
    watches.push(w);
    return w;
  };
  try {
    await nvr.start();
    const live = await watch();
    await live.until(`nvr/${NODE}/availability`, (m) => m.payload === "online", "online");
    // A camera whose source has a password, and that fails (nothing listens on the port).
    const dead = `rtsp://admin:${CAM_PASSWORD}@127.0.0.1:${freePort()}/h264`;
    assertEquals(
      (await nvr.api("POST", "/api/camera", {
        gid: 2,
        seq: 1,
        name: "Gate",
        iaddr: dead,
        protocol: "rtsp",
        isRec: 1,
      })).status,
      201,
    );
    // Added just after the box left (7 mod 12 s), the detector learns an empty scene.
    await new Promise((r) => setTimeout(r, (7_300 - (Date.now() % 12_000) + 12_000) % 12_000));
    assertEquals(
      (await nvr.api("POST", "/api/camera", {
        gid: 1,
        seq: 1,
        name: "Porch",
        iaddr: rtsp.url("motion"),
        protocol: "rtsp",
        isRec: 1,
      })).status,
      201,
    );
    await live.until(state("1-1"), (m) => json(m)?.state === "recording", "camera 1-1 recording");
    await live.until(
      state("2-1"),
      (m) => ["failed", "reconnecting"].includes(json(m)?.state),
      "camera 2-1 down",
      30_000,
    );
    await live.until(
      `nvr/${NODE}/events`,
      (m) => json(m)?.type === "camera_offline",
      "camera_offline event",
    );

    // A client that connects now gets the retained configs and states.
    const late = await watch();
    for (const e of ENTITIES) {
      const m = await late.until(config(e), (m) => m.retain, `retained ${e}`, 5000);
      const c = json(m);
      assertEquals(c.unique_id, e.split("/")[1]);
      assertEquals(c.device.name, "Porch");
      assertEquals(c.availability_topic, `nvr/${NODE}/availability`);
    }
    const st = json(await late.until(state("1-1"), (m) => m.retain, "retained state", 5000));
    assertEquals([st.state, st.isRec], ["recording", 1]);
    assert(typeof st.last_segment_at === "string" || st.last_segment_at === null);
    assertEquals(
      (await late.until(`nvr/${NODE}/camera/1-1/motion`, (m) => m.retain, "motion")).payload,
      "OFF",
    );
    const snap = await late.until(`nvr/${NODE}/camera/1-1/snapshot_url`, (m) => m.retain, "url");
    assert(snap.payload.startsWith(`${nvr.base}/1/1/snapshot.jpg`), snap.payload);
    await waitFor(async () => {
      const r = await fetch(snap.payload);
      await r.body?.cancel();
      return r.status === 200 && r.headers.get("content-type") === "image/jpeg";
    }, "the snapshot URL to give a JPEG");

    // The detector's events: motion ON, a start message, then OFF and an end message, each
    // within 2 s of the recorder publishing it (`at`).
    const motionTopic = `nvr/${NODE}/camera/1-1/motion`;
    const isEvents = (m: Message) => m.topic === `nvr/${NODE}/events`;
    const startMsg = await waitFor(
      () =>
        live.messages.find((m) =>
          isEvents(m) && json(m).phase === "start" &&
          Math.abs(Date.parse(json(m).start) % 12_000 - 3_500) <= 1_000 // the box's onset
        ),
      "a motion start message at an onset",
      30_000,
    );
    const at = Date.parse(json(startMsg).at); // when the recorder published the event
    const seenAfter = (topic: string, payload: string, t: number) =>
      waitFor(
        () => live.messages.find((m) => m.topic === topic && m.payload === payload && m.at >= t),
        `${topic} ${payload}`,
        5000,
        25,
      );
    const on = await seenAfter(motionTopic, "ON", at - 50);
    assert(on.at - at <= 2000 && startMsg.at - at <= 2000, `ON ${on.at - at} ms after the event`);
    assertEquals(json(startMsg).camera, "1-1");
    const endMsg = await waitFor(
      () =>
        live.messages.find((m) =>
          isEvents(m) && json(m).phase === "end" && json(m).id === json(startMsg).id
        ),
      "the motion end message",
      20_000,
    );
    const endAt = Date.parse(json(endMsg).at);
    const off = await seenAfter(motionTopic, "OFF", endAt - 50);
    assert(off.at - endAt <= 2000 && endMsg.at - endAt <= 2000, `OFF ${off.at - endAt} ms after`);
    assert(json(endMsg).end !== null && json(endMsg).score > 0);

    // recording/set OFF turns recording off, as the API shows.
    await live.publish(`nvr/${NODE}/camera/1-1/recording/set`, "OFF");
    await waitFor(
      async () => (await nvr.api("GET", "/api/camera/seq/1/gid/1")).json?.isRec === 0,
      "the API to show isRec 0",
      10_000,
    );
    await live.until(state("1-1"), (m) => json(m)?.isRec === 0, "state isRec 0");

    // Deleting a camera empties its retained discovery configs.
    assertEquals((await nvr.api("DELETE", "/api/camera/seq/1/gid/2")).status, 200);
    for (const e of ENTITIES.map((e) => e.replace("itest_1_1", "itest_2_1"))) {
      await live.until(config(e), (m) => m.payload === "", `removed ${e}`);
    }

    // The broker goes away for 20 s (its retained store with it); recording goes on and
    // changes meanwhile; after it is back, the retained state is the current one.
    await broker.stop();
    const downAt = Date.now();
    assertEquals(
      (await nvr.api("PUT", "/api/camera/record/status", { gid: 1, seq: 1, isRec: 1 })).status,
      200,
    );
    await new Promise((r) => setTimeout(r, 20_000 - (Date.now() - downAt)));
    assertEquals((await nvr.api("GET", "/api/health")).status, 200, "recording never waited");
    broker = await new Mosquitto({ port }).start();
    // A subscriber that arrives after the reconnect finds everything retained again.
    const after = await waitFor(
      async () => {
        const w = await MqttWatch.connect(port, [`nvr/${NODE}/#`, "homeassistant/#"]).catch(
          () => undefined,
        );
        if (!w) return undefined;
        watches.push(w);
        await new Promise((r) => setTimeout(r, 500));
        const retained = (t: string) => w.latest.get(t)?.retain === true;
        if (retained(`nvr/${NODE}/availability`) && retained(state("1-1"))) return w;
        await w.close();
      },
      "the recorder to republish after the broker came back",
      30_000,
      500,
    );
    const back = json(await after.until(state("1-1"), (m) => m.retain, "state after", 5000));
    assertEquals([back.state, back.isRec], ["recording", 1]);
    for (const e of ENTITIES) await after.until(config(e), (m) => m.retain, e, 5000);
    assert(!after.latest.get(config("switch/itest_2_1_recording"))?.payload, "deleted stays gone");
    const metrics = await (await fetch(`${nvr.base}/metrics`)).text();
    assert(/^nvr_mqtt_connected 1$/m.test(metrics), "connected again");
    assert(/^nvr_mqtt_reconnects_total [1-9]/m.test(metrics), "reconnects counted");

    // Nothing published carries the camera's password (nor the broker's).
    const all = watches.flatMap((w) => w.messages);
    assert(all.length > 20, `${all.length} messages`);
    for (const m of all) {
      assert(!(m.topic + m.payload).includes(CAM_PASSWORD), `camera password in ${m.topic}`);
      assert(!(m.topic + m.payload).includes(MQTT_PASSWORD), `broker password in ${m.topic}`);
    }
    assert(!nvr.logs.some((l) => l.includes(MQTT_PASSWORD)), "broker password logged");

    // kill -9: the broker publishes the will.
    await nvr.stop("SIGKILL");
    await after.until(`nvr/${NODE}/availability`, (m) => m.payload === "offline", "the will");
  } finally {
    for (const w of watches) await w.close();
    await nvr.stop("SIGKILL").catch(() => {});
    await broker.stop();
    await rtsp.stop();
  }
});

Deno.test("mqtt and webhooks: motion ON/OFF and event messages within 2 s; signed webhooks retried after a 500", async () => {
  const broker = await new Mosquitto().start();
  const secret = "webhook-secret-for-tests";
  const received: { body: string; signature: string | null; delivery: string | null }[] = [];
  let answers = 0;
  const hook = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = await req.text();
    received.push({
      body,
      signature: req.headers.get("x-nvr-signature"),
      delivery: req.headers.get("x-nvr-delivery"),
    });
    return new Response(null, { status: answers++ === 0 ? 500 : 204 });
  });
  const hub = new EventHub();
  const cam: CameraInfo = {
    gid: 3,
    seq: 4,
    name: "Yard",
    isRec: 1,
    status: { state: "recording" },
  };
  const integrations = new Integrations({
    config: {
      mqtt: { url: broker.url, maskedUrl: "masked", prefix: "nvr" },
      webhookUrls: [`http://127.0.0.1:${hook.addr.port}/hook`],
      webhookSecret: secret,
      linkBase: "http://nvr.test:8000",
    },
    node: NODE,
    events: hub,
    service: {
      list: () => [cam],
      get: (g, s) => (g === 3 && s === 4 ? cam : undefined),
      setRecording: () => Promise.resolve(),
    },
    clock: systemClock,
    log: createLogger("json", {}, () => {}),
  });
  const w = await MqttWatch.connect(broker.port, [`nvr/${NODE}/#`]);
  try {
    integrations.start();
    const motionTopic = `nvr/${NODE}/camera/3-4/motion`;
    await w.until(motionTopic, (m) => m.payload === "OFF", "motion OFF at start");
    const start = Date.now();
    const event = { id: "20261201-140502-000", start, score: 0.2, box: [0, 0, 0.5, 0.5] as const };
    hub.publish({
      type: "motion",
      at: start,
      gid: 3,
      seq: 4,
      phase: "start",
      event: { ...event, box: [...event.box] },
    });
    const on = await w.until(motionTopic, (m) => m.payload === "ON", "motion ON", 2000);
    assert(on.at - start <= 2000);
    const msg = await w.until(
      `nvr/${NODE}/events`,
      (m) => json(m)?.phase === "start",
      "motion start message",
      2000,
    );
    assertEquals(json(msg).camera, "3-4");
    assert(json(msg).review_url.startsWith("http://nvr.test:8000/recordings?cam=3-4&"));
    const end = Date.now();
    hub.publish({
      type: "motion",
      at: end,
      gid: 3,
      seq: 4,
      phase: "end",
      event: { ...event, end, box: [...event.box] },
    });
    await w.until(motionTopic, (m) => m.payload === "OFF", "motion OFF", 2000);
    await w.until(`nvr/${NODE}/events`, (m) => json(m)?.phase === "end", "end message", 2000);

    // The webhook: first answer 500, then the same delivery again after the backoff.
    await waitFor(() => received.length >= 3, "start (twice) and end delivered", 15_000);
    assertEquals(received[0].delivery, received[1].delivery, "the retry is the same delivery");
    for (const r of received) {
      const expected = "sha256=" + createHmac("sha256", secret).update(r.body).digest("hex");
      assertEquals(r.signature, expected);
    }
    assertEquals(received.map((r) => JSON.parse(r.body).phase), ["start", "start", "end"]);
    const m = integrations.metrics().webhooks!;
    assertEquals([m.sent, m.retries, m.failed], [2, 1, 0]);
  } finally {
    await integrations.stop();
    await w.close();
    await hook.shutdown();
    await broker.stop();
  }
});

Deno.test("mqtts: the broker's certificate is checked: an unknown CA is refused, a trusted one connects", async () => {
  const broker = await new Mosquitto({ tls: true }).start();
  // In-process: the CA is not trusted, so the connection is refused.
  const logs: string[] = [];
  const bridge = new MqttBridge({
    url: broker.url,
    maskedUrl: "masked",
    clientId: "nvr-untrusted",
    topics: topicsFor("nvr", "untrusted"),
    clock: systemClock,
    log: createLogger("json", {}, (l) => logs.push(l)),
    onCommand: () => Promise.resolve(),
  });
  // The recorder, started with the CA trusted (Deno reads DENO_CERT at start).
  const nvr = new Nvr({ extraArgs: [`--mqtt-url=${broker.url}`, "--node-id=tls"] });
  try {
    bridge.start();
    const refused = await waitFor(
      () => logs.find((l) => l.includes("mqtt: cannot connect")),
      "the connection to be refused",
    );
    assert(/certificate/i.test(refused), refused);
    assertEquals(bridge.metrics().connected, false);
    Deno.env.set("DENO_CERT", broker.caFile);
    try {
      await nvr.start();
    } finally {
      Deno.env.delete("DENO_CERT");
    }
    await waitFor(async () => {
      const metrics = await (await fetch(`${nvr.base}/metrics`)).text();
      return /^nvr_mqtt_connected 1$/m.test(metrics);
    }, "an mqtts connection");
    assert(!nvr.logs.some((l) => l.includes(MQTT_PASSWORD)), "broker password logged");
  } finally {
    await bridge.stop();
    await nvr.stop().catch(() => {});
    await broker.stop();
  }
});
