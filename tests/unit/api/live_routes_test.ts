/** GET /{gid}/{seq}/live.ws without a real socket: who gets refused, and how. */
import { assertEquals } from "../../support/assert.ts";
import { InProcessNvr } from "../../support/in_process.ts";
import { waitFor } from "../../support/harness.ts";
import { liveText } from "../../../src/api/live_routes.ts";

Deno.test("live route: unknown camera 404, plain GET 426, another site's page 403", async () => {
  const nvr = await new InProcessNvr().start(); // --live-view is on by default
  try {
    assertEquals((await nvr.addCamera()).status, 201);
    await waitFor(() => nvr.children.length > 0, "the camera's child", 5000, 10);
    assertEquals(nvr.children[0].args.includes("tcpserversink"), true); // the live branch
    const ws = {
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-version": "13",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    };
    assertEquals((await nvr.fetch("/9/9/live.ws", { headers: ws })).status, 404);
    assertEquals((await nvr.fetch("/x/1/live.ws", { headers: ws })).status, 404);
    const bad = await nvr.fetch("/1/1/live.ws?stream=4k", { headers: ws });
    assertEquals(bad.status, 400);
    assertEquals((await bad.json()).fields[0].field, "stream");
    const plain = await nvr.fetch("/1/1/live.ws");
    assertEquals(plain.status, 426);
    assertEquals((await plain.json()).status, 0);
    const foreign = await nvr.fetch("/1/1/live.ws", {
      headers: { ...ws, origin: "https://evil.example" },
    });
    assertEquals(foreign.status, 403);
    const crossSite = await nvr.fetch("/1/1/live.ws", {
      headers: { ...ws, "sec-fetch-site": "cross-site" },
    });
    assertEquals(crossSite.status, 403);
  } finally {
    await nvr.stop();
  }
});

Deno.test("live route: the text messages", () => {
  const init = { data: new Uint8Array(1), codec: "avc1.64001f", timescale: 90000 };
  assertEquals(
    JSON.parse(liveText({ kind: "init", init }, 90000)!),
    {
      type: "init",
      codec: "avc1.64001f",
      mime: 'video/mp4; codecs="avc1.64001f"',
      stream: "main",
    },
  );
  assertEquals(JSON.parse(liveText({ kind: "init", init }, 90000, "sub")!).stream, "sub");
  const fragment = { data: new Uint8Array(1), key: true, decodeTime: 180000 };
  assertEquals(JSON.parse(liveText({ kind: "fragment", fragment, wallMs: 5 }, 90000)!), {
    type: "key",
    wall: 5,
    dts: 2,
  });
  assertEquals(
    liveText({ kind: "fragment", fragment: { ...fragment, key: false }, wallMs: 5 }, 90000),
    undefined,
  );
});

Deno.test("live route: --live-view=off: no live branch in the child, the route is not there", async () => {
  const nvr = await new InProcessNvr({ args: ["--live-view=off"] }).start();
  try {
    assertEquals((await nvr.addCamera()).status, 201);
    assertEquals((await nvr.fetch("/1/1/live.ws")).status, 404);
    await waitFor(() => nvr.children.length > 0, "the camera's child", 5000, 10);
    assertEquals(nvr.children[0].args.includes("tcpserversink"), false);
  } finally {
    await nvr.stop();
  }
});
