/** MQTT and webhook settings (src/config/integrations_config.ts through loadConfig). */
import { ConfigError, loadConfig } from "../../../src/config/config.ts";
import { linkBase } from "../../../src/config/integrations_config.ts";
import { assert, assertEquals, assertThrows } from "../../support/assert.ts";

Deno.test("integrations: off by default; the prefix defaults to nvr", () => {
  const c = loadConfig([], {}).integrations;
  assertEquals(c.mqtt, undefined);
  assertEquals(c.webhookUrls, []);
  assertEquals(c.webhookSecret, undefined);
});

Deno.test("integrations: mqtt(s) URL with credentials, masked for logs; env twins", () => {
  const c = loadConfig(["--mqtt-url=mqtts://ha:br0ker-pw@broker.example:8883"], {
    NVR_MQTT_PREFIX: "home/nvr",
    NVR_WEBHOOK_URL: "https://a.example/hook, http://b.example:9000/x",
    NVR_WEBHOOK_SECRET: "a-long-enough-secret",
  }).integrations;
  assertEquals(c.mqtt?.url, "mqtts://ha:br0ker-pw@broker.example:8883");
  assertEquals(c.mqtt?.maskedUrl, "mqtts://ha:***@broker.example:8883");
  assertEquals(c.mqtt?.prefix, "home/nvr");
  assertEquals(c.webhookUrls, ["https://a.example/hook", "http://b.example:9000/x"]);
  assertEquals(c.webhookSecret, "a-long-enough-secret");
});

Deno.test("integrations: bad URLs, prefixes and short secrets are refused, without the password", () => {
  for (
    const args of [
      ["--mqtt-url=http://broker:1883"],
      ["--mqtt-url=mqtt://"],
      ["--mqtt-prefix=nvr/#"],
      ["--mqtt-prefix=a//b"],
      ["--webhook-url=ftp://x.example/"],
      ["--webhook-secret=short"],
    ]
  ) {
    const err = assertThrows(() => loadConfig(args, {}), /invalid configuration/);
    assert(err instanceof ConfigError);
  }
  const err = assertThrows(() => loadConfig(["--webhook-url=ftp://u:hookpw77@x/"], {}));
  assert(!err.message.includes("hookpw77"), err.message);
});

Deno.test("integrations: links use the public URL, else host and port (a wildcard: the host name)", () => {
  assertEquals(linkBase("https://nvr.example/", "0.0.0.0", 8000, "box"), "https://nvr.example");
  assertEquals(linkBase(undefined, "127.0.0.1", 8000, "box"), "http://127.0.0.1:8000");
  assertEquals(linkBase(undefined, "0.0.0.0", 8000, "box"), "http://box:8000");
  assertEquals(linkBase(undefined, "::1", 80, "box"), "http://[::1]:80");
  assertEquals(
    loadConfig(["--public-url=http://nvr.lan:8000"], {}).integrations.linkBase,
    "http://nvr.lan:8000",
  );
});
