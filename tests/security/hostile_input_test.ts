/**
 * Hostile input over every endpoint, generated from a seeded PRNG (reproducible):
 * wrong types, missing fields, huge and chunked bodies, invalid JSON and UTF-8,
 * unicode names, negative/huge/fractional ids, traversal in every path part,
 * planted symlinks. Each answer must be < 500 with a JSON body for /api, and the
 * recorder must still be alive and serving at the end.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";
import { Nvr } from "../support/harness.ts";

/** mulberry32: small seeded PRNG so a failure can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 20260601);
const rand = prng(SEED);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];

const IDS: unknown[] = [
  -1,
  1.5,
  1e10,
  2 ** 53,
  -0,
  NaN,
  "1",
  "",
  null,
  true,
  [],
  {},
  "0x10",
  1e308,
];
const STRINGS: unknown[] = [
  "",
  " ",
  "x".repeat(101),
  "\u0000",
  "a\nb",
  "🎥📹".repeat(30),
  "\u202eevil",
  "e\u0301",
  "<script>alert(1)</script>",
  '" ! filesink location=/tmp/pwn',
  "$(reboot)",
  "`id`",
  "test://ball",
  "file:///etc/passwd",
  "rtsp://h/a b",
  'rtsp://u:p"w@h/x',
  "http://h/x",
  "rtmp://h/x",
  "javascript:alert(1)",
  "rtsp://" + "a".repeat(3000),
  42,
  null,
  [],
  { nested: "x" },
];
const FIELDS = ["seq", "gid", "b_gid", "name", "iaddr", "protocol", "isRec"];

function body(): string {
  const kind = rand();
  if (kind < 0.1) return pick(["{", "[]", "null", "1", '"x"', "{'a':1}", "", "\ufeff{}", "{}}"]);
  const o: Record<string, unknown> = {};
  for (const f of FIELDS) {
    if (rand() < 0.2) continue; // missing
    const isId = ["seq", "gid", "b_gid", "isRec"].includes(f);
    o[f] = rand() < 0.7 ? pick(isId ? IDS : STRINGS) : pick(isId ? STRINGS : IDS);
  }
  const text = JSON.stringify(o);
  if (rand() < 0.1 && text.length > 2) {
    return `{"${pick(["__proto__", "constructor", "extra", "ÿ"])}":1,${text.slice(1)}`;
  }
  return text;
}

const TRAVERSAL = [
  "..",
  "%2e%2e",
  "..%2f..%2f..%2fetc%2fpasswd",
  "%2e%2e%2f%2e%2e",
  "..%5c..%5c",
  "..\\..\\etc",
  "%2fetc%2fpasswd",
  "%00",
  "a%00.ts",
  "%c0%ae%c0%ae",
  "-1",
  "99999999999999999999",
  "1e3",
  "%F0%9F%8E%A5",
  "%ff",
];
const ROUTES = [
  "/api/camera/seq/{}/gid/1",
  "/api/camera/seq/1/gid/{}",
  "/api/recordings/gid/{}/seq/1/days",
  "/api/recordings/gid/1/seq/1/date/{}",
  "/api/export/gid/{}/seq/1/span.m3u8?from=0&to=1000",
  "/api/export/gid/1/seq/1/span.mp4?from={}&to=1000",
  "/api/deleted/{}",
  "/{}/1/hls/index.m3u8",
  "/1/1/hls/{}/00001.ts",
  "/1/1/hls/abc/{}",
  "/1/1/{}/index.m3u8",
  "/1/1/2026-01-01/{}/index.m3u8",
  "/1/1/2026-01-01/000000/{}",
  "/assets/{}",
  "/{}",
];

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

async function send(nvr: Nvr, method: string, path: string, init: RequestInit = {}) {
  const res = await fetch(nvr.base + path, { method, ...init });
  const text = await res.text();
  return { status: res.status, text };
}

Deno.test({
  name: `hostile input: every endpoint answers 4xx JSON, never 500 (FUZZ_SEED=${SEED})`,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const nvr = await new Nvr().start();
    const problems: string[] = [];
    const check = (what: string, r: { status: number; text: string }, api = true) => {
      if (r.status >= 500) problems.push(`${what} → ${r.status} ${r.text.slice(0, 120)}`);
      if (api && r.status >= 400 && !isJson(r.text)) problems.push(`${what}: not JSON`);
    };
    try {
      await t.step("generated bodies on every write endpoint", async () => {
        const writes: [string, string][] = [
          ["POST", "/api/camera"],
          ["PUT", "/api/camera"],
          ["PUT", "/api/camera/record/status"],
        ];
        for (let i = 0; i < 300; i++) {
          const [method, path] = pick(writes);
          const b = body();
          const r = await send(nvr, method, path, {
            body: b,
            headers: { "content-type": pick(["application/json", "text/plain", "x/y"]) },
          });
          check(`${method} ${path} ${b.slice(0, 80)}`, r);
          if (r.status === 201) problems.push(`accepted a generated body: ${b.slice(0, 200)}`);
        }
      });

      await t.step("another web page cannot write, even with access control off", async () => {
        // Regression (issue 10, defect 9): a no-cors fetch with a JSON text/plain body added
        // a camera; a rebound DNS name was served.
        const cam = JSON.stringify({
          seq: 9,
          gid: 9,
          name: "x",
          iaddr: "test://ball",
          protocol: "test",
          isRec: 0,
        });
        let r = await send(nvr, "POST", "/api/camera", {
          body: cam,
          headers: { origin: "https://evil.example", "content-type": "text/plain" },
        });
        assertEquals(r.status, 403);
        r = await send(nvr, "POST", "/api/camera", { body: cam });
        assertEquals(r.status, 415, "text/plain (fetch's default for a string)");
        // fetch cannot set Host: a raw request, as a browser sends it after DNS rebinding.
        const conn = await Deno.connect({ hostname: "127.0.0.1", port: nvr.port });
        await conn.write(
          new TextEncoder().encode(
            "GET /api/camera HTTP/1.1\r\nHost: rebind.evil.example\r\nConnection: close\r\n\r\n",
          ),
        );
        const raw = await new Response(conn.readable).text();
        assert(raw.startsWith("HTTP/1.1 403"), `unknown Host name: ${raw.slice(0, 40)}`);
        assertEquals((await send(nvr, "GET", "/api/camera/seq/9/gid/9")).status, 404, "not added");
      });

      await t.step("huge, chunked and non-UTF-8 bodies", async () => {
        const big = new Uint8Array(2 * 1024 * 1024).fill(0x20);
        const json = { "content-type": "application/json" };
        let r = await send(nvr, "POST", "/api/camera", { body: big, headers: json });
        assertEquals(r.status, 413);
        // No content-length: a stream must be cut at the limit too.
        const stream = new ReadableStream({
          start(c) {
            for (let i = 0; i < 64; i++) c.enqueue(new Uint8Array(16 * 1024).fill(0x7b));
            c.close();
          },
        });
        r = await send(nvr, "PUT", "/api/camera", { body: stream, headers: json });
        assertEquals(r.status, 413, "chunked body over the limit");
        r = await send(nvr, "POST", "/api/camera", {
          body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
          headers: json,
        });
        assertEquals([r.status, JSON.parse(r.text).error], [400, "body is not valid JSON"]);
        r = await send(nvr, "POST", "/api/camera", {
          body: "[".repeat(100_000 / 2),
          headers: json,
        });
        check("deep nesting", r);
        r = await send(nvr, "POST", "/api/camera", {
          body: "{}",
          headers: { ...json, "content-length": "-5" },
        })
          .catch(() => ({ status: 400, text: "{}" }));
        check("negative content-length", r);
      });

      await t.step("unicode names are accepted and echoed exactly", async () => {
        const name = "정문 🎥 \u202e Ünïcødé & <b>";
        let r = await send(nvr, "POST", "/api/camera", {
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            seq: 7,
            gid: 7,
            name,
            iaddr: "test://ball",
            protocol: "test",
            isRec: 0,
          }),
        });
        assertEquals(r.status, 201);
        r = await send(nvr, "GET", "/api/camera/seq/7/gid/7");
        assertEquals(JSON.parse(r.text).name, name);
      });

      await t.step("traversal and odd values in every path part", async () => {
        for (const route of ROUTES) {
          for (const v of TRAVERSAL) {
            for (
              const method of route.startsWith("/api/deleted") ? ["GET", "DELETE"] : ["GET", "HEAD"]
            ) {
              const path = route.replace("{}", v);
              const r = await send(nvr, method, path);
              check(`${method} ${path}`, r, path.startsWith("/api") && method !== "HEAD");
              // A bare ".." or "%2e%2e" is resolved by the URL parser before sending (to a parent route).
              const resolved = route === "/{}" || v === ".." || v === "%2e%2e";
              assert(r.status >= 400 || resolved, `${method} ${path} → ${r.status}`);
              assert(
                !r.text.includes("root:") && !r.text.includes('iaddr":"rtsp'),
                `${path} leaked`,
              );
            }
          }
        }
        // Absolute URLs and raw backslashes in the request target.
        for (
          const raw of [
            "/1/1/hls/..\\..\\..\\etc\\passwd",
            "//etc/passwd",
            "/api/deleted/..\\..\\data",
          ]
        ) {
          check(raw, await send(nvr, "GET", raw), false);
        }
      });

      await t.step(
        "a symlink planted in the deleted area: purge removes the link, not its target",
        async () => {
          const outside = Deno.makeTempDirSync({ prefix: "nvr-outside-" });
          Deno.writeTextFileSync(join(outside, "keep.txt"), "precious");
          const deleted = join(nvr.mediaRoot, "deleted");
          Deno.mkdirSync(deleted, { recursive: true });
          Deno.symlinkSync(outside, join(deleted, "1_1_20260101-000000"));
          const r = await send(nvr, "DELETE", "/api/deleted/1_1_20260101-000000");
          check("purge symlink", r);
          assertEquals(Deno.readTextFileSync(join(outside, "keep.txt")), "precious");
          Deno.removeSync(outside, { recursive: true });
        },
      );

      await t.step("the recorder is still alive and serving", async () => {
        const r = await send(nvr, "GET", "/api/health");
        assertEquals(r.status, 200);
        assert(!nvr.logs.some((l) => /"level":"error".*request failed/.test(l)), "no 500 logged");
      });
      assertEquals(problems, []);
    } finally {
      await nvr.stop();
    }
  },
});
