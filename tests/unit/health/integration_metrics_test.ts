/** MQTT and webhook families of /metrics (health/metrics.ts): present only when on, exact text. */
import { renderMetrics } from "../../../src/health/metrics.ts";
import { assert, assertEquals } from "../../support/assert.ts";

const storage = { deletedSegments: 0, deletedBytes: 0 };

const MQTT_TEXT = `# HELP nvr_mqtt_connected 1 while connected to the broker.
# TYPE nvr_mqtt_connected gauge
nvr_mqtt_connected 1
# HELP nvr_mqtt_published_total Messages handed to the broker.
# TYPE nvr_mqtt_published_total counter
nvr_mqtt_published_total 12
# HELP nvr_mqtt_dropped_total Events dropped while the broker was away (queue full).
# TYPE nvr_mqtt_dropped_total counter
nvr_mqtt_dropped_total 3
# HELP nvr_mqtt_queued Events waiting for the broker.
# TYPE nvr_mqtt_queued gauge
nvr_mqtt_queued 0
# HELP nvr_mqtt_reconnects_total Connections to the broker after the first.
# TYPE nvr_mqtt_reconnects_total counter
nvr_mqtt_reconnects_total 1
`;

const WEBHOOK_TEXT = `# HELP nvr_webhook_sent_total Webhook deliveries accepted (2xx).
# TYPE nvr_webhook_sent_total counter
nvr_webhook_sent_total 5
# HELP nvr_webhook_failed_total Webhook deliveries given up.
# TYPE nvr_webhook_failed_total counter
nvr_webhook_failed_total 1
# HELP nvr_webhook_retries_total Webhook attempts after the first.
# TYPE nvr_webhook_retries_total counter
nvr_webhook_retries_total 4
# HELP nvr_webhook_dropped_total Webhook deliveries dropped (queue full).
# TYPE nvr_webhook_dropped_total counter
nvr_webhook_dropped_total 2
# HELP nvr_webhook_queued Webhook deliveries waiting.
# TYPE nvr_webhook_queued gauge
nvr_webhook_queued 1
`;

const mqtt = { connected: true, published: 12, dropped: 3, queued: 0, reconnects: 1 };
const webhooks = { sent: 5, failed: 1, retries: 4, dropped: 2, queued: 1 };

Deno.test("metrics: MQTT and webhook counters, absent when the integrations are off", () => {
  const off = renderMetrics([], storage);
  assert(!off.includes("nvr_mqtt") && !off.includes("nvr_webhook"));
  const tail = (text: string) => {
    assert(text.startsWith(off));
    return text.slice(off.length);
  };
  assertEquals(
    tail(renderMetrics([], storage, undefined, { mqtt, webhooks })),
    MQTT_TEXT + WEBHOOK_TEXT,
  );
  assertEquals(tail(renderMetrics([], storage, undefined, { mqtt })), MQTT_TEXT);
  assertEquals(tail(renderMetrics([], storage, undefined, { webhooks })), WEBHOOK_TEXT);
});
