/** MQTT and webhook families of /metrics (health/metrics.ts): present only when on. */
import { renderMetrics } from "../../../src/health/metrics.ts";
import { assert, assertMatch } from "../../support/assert.ts";

const storage = { deletedSegments: 0, deletedBytes: 0 };

Deno.test("metrics: MQTT and webhook counters, absent when the integrations are off", () => {
  const off = renderMetrics([], storage);
  assert(!off.includes("nvr_mqtt") && !off.includes("nvr_webhook"));
  const text = renderMetrics([], storage, undefined, {
    mqtt: { connected: true, published: 12, dropped: 3, queued: 0, reconnects: 1 },
    webhooks: { sent: 5, failed: 1, retries: 4, dropped: 2, queued: 1 },
  });
  assertMatch(text, /^# TYPE nvr_mqtt_dropped_total counter\nnvr_mqtt_dropped_total 3$/m);
  assertMatch(text, /^nvr_mqtt_connected 1$/m);
  assertMatch(text, /^nvr_mqtt_published_total 12$/m);
  assertMatch(text, /^nvr_mqtt_reconnects_total 1$/m);
  assertMatch(text, /^nvr_webhook_sent_total 5$/m);
  assertMatch(text, /^nvr_webhook_failed_total 1$/m);
  assertMatch(text, /^nvr_webhook_retries_total 4$/m);
  assertMatch(text, /^nvr_webhook_dropped_total 2$/m);
  assertMatch(text, /^nvr_webhook_queued 1$/m);
});
