/** Fleet review routes over an in-memory bucket: listings, objects with ranges, bad input. */
import { Hono } from "hono";
import { archiveRoutes } from "../../../src/api/archive_routes.ts";
import { errorBody, HttpError } from "../../../src/api/http_errors.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { MemoryStore } from "../archive/memory_store.ts";
import { renderManifest } from "../../../src/archive/manifest.ts";

const T0 = 1_764_597_902_000;
/** A real manifest: two 2 s segments in one bundle. */
const MANIFEST = renderManifest([{
  key: `x/${T0}.ts`,
  size: 376,
  md5: "",
  segments: [0, 1].map((i) => ({ name: `${T0 + i * 2000}_2000.ts`, offset: i * 188, bytes: 188 })),
}], true);

async function app() {
  const store = new MemoryStore();
  const put = (k: string, body: Uint8Array) => store.put(k, body, "x");
  const bundle = new Uint8Array(376).map((_, i) => i % 256);
  for (
    const [node, cam, date, time] of [
      ["edge-1", "1/1", "2026-12-01", "120000"],
      ["edge-1", "1/1", "2026-12-02", "080000"],
      ["edge-1", "2/5", "2026-12-01", "090000"],
      ["edge-2", "1/1", "2026-12-01", "100000"],
    ]
  ) {
    await put(`fleet/${node}/${cam}/${date}/${time}/${T0}.ts`, bundle);
    const manifest = date === "2026-12-02" ? MANIFEST : "#EXTM3U\n";
    await put(
      `fleet/${node}/${cam}/${date}/${time}/index.m3u8`,
      new TextEncoder().encode(manifest),
    );
  }
  const a = new Hono();
  a.onError((err, c) =>
    err instanceof HttpError ? c.json(errorBody(err), err.status) : c.json({ error: "500" }, 500)
  );
  a.route("/", archiveRoutes({ store, prefix: "fleet", node: "central" }));
  return { a, store, bundle };
}

Deno.test("archive routes: nodes with their cameras, a camera's days, a day's sessions", async () => {
  const { a } = await app();
  const nodes = await (await a.request("/api/archive/nodes")).json();
  assertEquals(nodes, {
    node: "central",
    nodes: [
      { node: "edge-1", cameras: [{ gid: 1, seq: 1 }, { gid: 2, seq: 5 }] },
      { node: "edge-2", cameras: [{ gid: 1, seq: 1 }] },
    ],
  });
  const days = await (await a.request("/api/archive/nodes/edge-1/gid/1/seq/1/days")).json();
  assertEquals(days.days, ["2026-12-01", "2026-12-02"]);
  const day = await (await a.request("/api/archive/nodes/edge-1/gid/1/seq/1/date/2026-12-02"))
    .json();
  const iso = (ms: number) => new Date(ms).toISOString();
  assertEquals(day.sessions, [{
    time: "080000",
    start: iso(T0),
    end: iso(T0 + 4000),
    spans: [[iso(T0), iso(T0 + 4000)]],
    segments: 2,
    bytes: 376,
    open: false,
    close_reason: null,
    storage: [{ start: iso(T0), end: iso(T0 + 4000), where: "archive" }],
    manifest_url: "/archive/edge-1/1/1/2026-12-02/080000/index.m3u8",
  }]);
  assertEquals(day.day_url, "/archive/edge-1/1/1/2026-12-02/index.m3u8");
  // The day as one playlist: byte ranges of the bundles through this recorder's URLs.
  const res = await a.request(day.day_url);
  assertEquals([res.status, res.headers.get("content-type")], [
    200,
    "application/vnd.apple.mpegurl",
  ]);
  const text = await res.text();
  assertEquals(
    text.match(
      /#EXT-X-BYTERANGE:188@(0|188)\n\/archive\/edge-1\/1\/1\/2026-12-02\/080000\/\d{13}\.ts/g,
    )?.length,
    2,
  );
  assert(text.endsWith("#EXT-X-ENDLIST\n"), text);
  // A day without manifests' entries has no day playlist.
  assertEquals((await a.request("/archive/edge-1/1/1/2026-12-01/index.m3u8")).status, 404);
  assertEquals((await a.request("/archive/edge-1/1/1/2026-12-31/index.m3u8")).status, 404);
  assertEquals((await a.request("/archive/edge-1/1/1/2026-12-32/index.m3u8")).status, 400);
});

Deno.test("archive routes: manifests and bundles stream from the bucket, with byte ranges", async () => {
  const { a, bundle } = await app();
  const m = await a.request("/archive/edge-1/1/1/2026-12-01/120000/index.m3u8");
  assertEquals([m.status, m.headers.get("content-type"), await m.text()], [
    200,
    "application/vnd.apple.mpegurl",
    "#EXTM3U\n",
  ]);
  const url = `/archive/edge-2/1/1/2026-12-01/100000/${T0}.ts`;
  const part = await a.request(url, { headers: { range: "bytes=188-375" } });
  assertEquals([part.status, part.headers.get("content-range")], [206, "bytes 188-375/376"]);
  assertEquals(new Uint8Array(await part.arrayBuffer()), bundle.slice(188));
  assertEquals((await a.request(url, { headers: { range: "bytes=999-" } })).status, 416);
  assertEquals((await a.request(`/archive/edge-2/1/1/2026-12-01/100000/${T0 + 1}.ts`)).status, 404);
  assertEquals((await a.request("/archive/edge-2/1/1/2026-12-01/100000/secret.txt")).status, 404);
});

Deno.test("archive routes: bad input is a 400 naming the field; a store that is down a 502", async () => {
  const { a, store } = await app();
  const bad = await a.request("/api/archive/nodes/edge%201/gid/1/seq/x/days");
  assertEquals(bad.status, 400);
  assertEquals((await bad.json()).fields.map((f: { field: string }) => f.field), ["node", "seq"]);
  assertEquals(
    (await a.request("/api/archive/nodes/edge-1/gid/1/seq/1/date/2026-02-30")).status,
    400,
  );
  assertEquals((await a.request("/archive/edge-1/1/1/2026-12-01/1200/index.m3u8")).status, 400);
  store.down = true;
  const down = await a.request("/api/archive/nodes");
  assertEquals([down.status, (await down.json()).error], [502, "archive unavailable"]);
});

Deno.test("archive routes: with presigning, a bundle GET is a 302 to the store; manifests stream", async () => {
  const { store } = await app();
  store.presign = (key) => Promise.resolve(`http://store.test/${key}?X-Amz-Signature=abc`);
  const a = new Hono();
  a.route("/", archiveRoutes({ store, prefix: "fleet", node: "central", presign: true }));
  const res = await a.request(`/archive/edge-2/1/1/2026-12-01/100000/${T0}.ts`);
  assertEquals([res.status, res.headers.get("location")], [
    302,
    `http://store.test/fleet/edge-2/1/1/2026-12-01/100000/${T0}.ts?X-Amz-Signature=abc`,
  ]);
  const m = await a.request("/archive/edge-2/1/1/2026-12-01/100000/index.m3u8");
  assertEquals(m.status, 200);
  // HEAD still answers from the store's HEAD (no redirect).
  const head = await a.request(`/archive/edge-2/1/1/2026-12-01/100000/${T0}.ts`, {
    method: "HEAD",
  });
  assertEquals([head.status, head.headers.get("content-length")], [200, "376"]);
});

Deno.test("archive routes: a session whose manifest is not written yet is listed empty, not a 502", async () => {
  const { a, store, bundle } = await app();
  await store.put(`fleet/edge-1/1/1/2026-12-02/090000/${T0 + 3_600_000}.ts`, bundle, "x");
  const res = await a.request("/api/archive/nodes/edge-1/gid/1/seq/1/date/2026-12-02");
  assertEquals(res.status, 200);
  const day = await res.json();
  assertEquals(
    day.sessions.map((x: { time: string; start: string | null }) => [x.time, !!x.start]),
    [
      ["080000", true],
      ["090000", false],
    ],
  );
  assertEquals((await a.request(day.day_url)).status, 200);
});
