/**
 * The integrations, wired to the event hub: MQTT (mqtt_bridge.ts, topics.ts, discovery.ts)
 * and webhooks (webhooks.ts). Built by the composition root when `--mqtt-url` or
 * `--webhook-url` is set; `start()` once the registry is loaded. Hub events become
 * retained camera topics and event messages; `recording/set` acts through the camera
 * service like `PUT /api/camera/record/status`. Nothing here can hold a camera back:
 * the hub's listener only updates maps and queues.
 */
import type { Clock } from "../clock.ts";
import type { IntegrationsConfig } from "../config/integrations_config.ts";
import type { EventHub, NvrEvent } from "../events.ts";
import type { Logger } from "../log.ts";
import { discoveryConfigs, discoveryRemovals } from "./discovery.ts";
import { MqttBridge, type MqttConnect, type MqttMetrics } from "./mqtt_bridge.ts";
import {
  type CameraStateInput,
  eventPayload,
  type Links,
  linksFor,
  statePayload,
  type Topics,
  topicsFor,
} from "./topics.ts";
import { type WebhookMetrics, WebhookSender } from "./webhooks.ts";

/** What the integrations need of the camera service (cameras/service.ts). */
export interface CameraControl {
  list(): CameraInfo[];
  get(gid: number, seq: number): CameraInfo | undefined;
  setRecording(gid: number, seq: number, isRec: 0 | 1): Promise<unknown>;
}

export interface CameraInfo {
  gid: number;
  seq: number;
  name?: string;
  isRec: 0 | 1;
  status: { state: string; lastError?: string; lastSegmentAt?: number };
}

export interface IntegrationsDeps {
  config: IntegrationsConfig;
  node: string;
  events: EventHub;
  service: CameraControl;
  clock: Clock;
  log: Logger;
  /** Tests: the MQTT client and the HTTP client. */
  connect?: MqttConnect;
  fetch?: typeof fetch;
}

export interface IntegrationMetrics {
  mqtt?: MqttMetrics;
  webhooks?: WebhookMetrics;
}

export class Integrations {
  readonly mqtt?: MqttBridge;
  readonly webhooks?: WebhookSender;
  #d: IntegrationsDeps;
  #topics?: Topics;
  #links: Links;
  #off?: () => void;

  constructor(deps: IntegrationsDeps) {
    this.#d = deps;
    const { config, node, log, clock } = deps;
    this.#links = linksFor(config.linkBase);
    if (config.mqtt) {
      const topics = this.#topics = topicsFor(config.mqtt.prefix, node);
      this.mqtt = new MqttBridge({
        url: config.mqtt.url,
        maskedUrl: config.mqtt.maskedUrl,
        clientId: `nvr-${node}`.slice(0, 64),
        topics,
        clock,
        log: log.child({ component: "mqtt" }),
        onCommand: (gid, seq, on) => this.#setRecording(gid, seq, on),
        connect: deps.connect,
      });
    }
    if (config.webhookUrls.length > 0) {
      this.webhooks = new WebhookSender({
        urls: config.webhookUrls,
        secret: config.webhookSecret,
        clock,
        log: log.child({ component: "webhooks" }),
        fetch: deps.fetch,
      });
      if (!config.webhookSecret) {
        log.warn("webhooks are not signed: set --webhook-secret");
      }
    }
    this.#off = deps.events.on((e) => this.#onEvent(e));
  }

  /** Announces the registered cameras and connects to the broker. */
  start(): void {
    for (const cam of this.#d.service.list()) this.#announce(cam);
    this.mqtt?.start();
  }

  async stop(): Promise<void> {
    this.#off?.();
    await Promise.all([this.mqtt?.stop(), this.webhooks?.stop()]);
  }

  metrics(): IntegrationMetrics {
    return { mqtt: this.mqtt?.metrics(), webhooks: this.webhooks?.metrics() };
  }

  #onEvent(e: NvrEvent): void {
    const { mqtt } = this;
    const t = this.#topics;
    if (mqtt && t) {
      if (e.type === "camera_state") mqtt.retain(t.state(e.gid, e.seq), statePayload(e));
      else if (e.type === "camera_added") {
        const cam = this.#d.service.get(e.gid, e.seq);
        if (cam) this.#announce(cam);
      } else if (e.type === "camera_removed") this.#withdraw(e.gid, e.seq);
      else if (e.type === "motion" && e.phase !== "update") {
        mqtt.retain(t.motion(e.gid, e.seq), e.phase === "start" ? "ON" : "OFF");
        const peak = e.event.peak ?? e.event.start;
        mqtt.retain(t.snapshotUrl(e.gid, e.seq), this.#links.snapshot(e.gid, e.seq, peak));
      }
    }
    const payload = eventPayload(e, this.#d.node, this.#links);
    if (!payload) return;
    if (mqtt && t) mqtt.send(t.events, JSON.stringify(payload));
    this.webhooks?.send(payload);
  }

  /** Discovery configs and the retained topics of one camera (from its status now). */
  #announce(cam: CameraInfo): void {
    const { mqtt } = this;
    const t = this.#topics;
    if (!mqtt || !t) return;
    const { gid, seq } = cam;
    for (const m of discoveryConfigs(t, this.#d.node, cam)) mqtt.retain(m.topic, m.payload);
    mqtt.retain(t.state(gid, seq), statePayload(stateOf(cam)));
    if (!mqtt.retainedOf(t.motion(gid, seq))) mqtt.retain(t.motion(gid, seq), "OFF");
    if (!mqtt.retainedOf(t.snapshotUrl(gid, seq))) {
      mqtt.retain(t.snapshotUrl(gid, seq), this.#links.snapshot(gid, seq, this.#d.clock.now()));
    }
  }

  /** A deleted camera: its entities and retained topics are cleared (empty retained). */
  #withdraw(gid: number, seq: number): void {
    const { mqtt } = this;
    const t = this.#topics;
    if (!mqtt || !t) return;
    for (const m of discoveryRemovals(this.#d.node, gid, seq)) mqtt.retain(m.topic, "");
    for (const topic of [t.state(gid, seq), t.motion(gid, seq), t.snapshotUrl(gid, seq)]) {
      mqtt.retain(topic, "");
    }
  }

  async #setRecording(gid: number, seq: number, on: boolean): Promise<void> {
    const service = this.#d.service;
    if (!service.get(gid, seq)) {
      this.#d.log.warn("mqtt: recording/set for an unknown camera", { camera: `${gid}/${seq}` });
      return;
    }
    await service.setRecording(gid, seq, on ? 1 : 0);
    this.#d.log.info("mqtt: recording " + (on ? "on" : "off"), { camera: `${gid}/${seq}` });
    // The state topic follows even when the camera's state did not change (a failed camera).
    const cam = service.get(gid, seq);
    if (cam && this.mqtt && this.#topics) {
      this.mqtt.retain(this.#topics.state(gid, seq), statePayload(stateOf(cam)));
    }
  }
}

const stateOf = (cam: CameraInfo): CameraStateInput => ({
  state: cam.status.state,
  isRec: cam.isRec,
  lastSegmentAt: cam.status.lastSegmentAt,
  lastError: cam.status.lastError,
});

/** The integrations the config asks for, or undefined when none is set. */
export function createIntegrations(deps: IntegrationsDeps): Integrations | undefined {
  const c = deps.config;
  return c.mqtt || c.webhookUrls.length > 0 ? new Integrations(deps) : undefined;
}
