/** The archive's pure parts: key layout round-trip, bundle planning, manifest text, backoff. */
import { assert, assertEquals } from "../../support/assert.ts";
import { bundleKey, manifestKey, parseKey, sessionPrefix } from "../../../src/archive/keys.ts";
import { planBundles } from "../../../src/archive/plan.ts";
import { manifestEntries, renderManifest } from "../../../src/archive/manifest.ts";
import { retryDelayMs, throttleDelayMs } from "../../../src/archive/backoff.ts";
import { errorCode, parseListing } from "../../../src/archive/store.ts";
import { segmentFileName } from "../../../src/storage/layout.ts";
import { expireArchive } from "../../../src/archive/expiry.ts";
import { MemoryStore } from "./memory_store.ts";
import type { PlaylistSegment } from "../../../src/storage/playlist.ts";

const REF = { node: "edge-1", gid: 3, seq: 12, date: "2026-12-01", time: "140502" };
const T0 = 1_764_597_902_000;

Deno.test("keys: every key built parses back into its parts; foreign keys do not", () => {
  for (const prefix of ["", "fleet", "a/b/c"]) {
    const b = bundleKey(prefix, REF, T0);
    const m = manifestKey(prefix, REF);
    assertEquals(parseKey(prefix, b), { ...REF, file: `${T0}.ts` });
    assertEquals(parseKey(prefix, m), { ...REF, file: "index.m3u8" });
    assert(b.startsWith(sessionPrefix(prefix, REF)));
  }
  assertEquals(bundleKey("fleet", REF, T0), `fleet/edge-1/3/12/2026-12-01/140502/${T0}.ts`);
  assertEquals(manifestKey("", REF), "edge-1/3/12/2026-12-01/140502/index.m3u8");
  for (
    const bad of [
      "other/edge-1/3/12/2026-12-01/140502/index.m3u8",
      "fleet/edge-1/3/12/2026-12-01/140502/x.ts",
      "fleet/edge 1/3/12/2026-12-01/140502/index.m3u8",
      "fleet/edge-1/3/12/2026-12-01/index.m3u8",
      "fleet/edge-1/3/12/2026-12-01/140502/../index.m3u8",
    ]
  ) assertEquals(parseKey("fleet", bad), undefined, bad);
});

const segs = (n: number, ms = 2000, from = T0): PlaylistSegment[] =>
  Array.from({ length: n }, (_, i) => {
    const startMs = from + i * ms;
    return { uri: segmentFileName({ startMs, durationMs: ms }), startMs, durationMs: ms };
  });

Deno.test("plan: ~bundleMs of consecutive pending segments; the rest waits while recording", () => {
  const listed = segs(10); // 20 s
  const base = { listed, archived: new Set<string>(), bundleMs: 6000 };
  const now = T0 + 20_000;
  const open = planBundles({ ...base, closed: false, now });
  assertEquals(open.map((b) => b.length), [3, 3, 3]); // the 10th waits
  const closed = planBundles({ ...base, closed: true, now });
  assertEquals(closed.map((b) => b.length), [3, 3, 3, 1]);
  // The camera went quiet: a whole bundle length after the newest segment, the rest goes.
  assertEquals(planBundles({ ...base, closed: false, now: now + 6000 }).map((b) => b.length), [
    3,
    3,
    3,
    1,
  ]);
  // Archived segments are not planned again.
  const archived = new Set(listed.slice(0, 4).map((s) => s.uri));
  const rest = planBundles({ ...base, archived, closed: true, now });
  assertEquals(rest.flat().map((s) => s.uri), listed.slice(4).map((s) => s.uri));
  assertEquals(planBundles({ ...base, listed: [], closed: true, now }), []);
});

Deno.test("plan: a bundle also ends before it would pass maxBytes (held in memory while sent)", () => {
  const listed = segs(6);
  const plan = planBundles({
    listed,
    archived: new Set(),
    bundleMs: 60_000,
    closed: true,
    now: T0,
    bytes: () => 400,
    maxBytes: 1000,
  });
  assertEquals(plan.map((b) => b.length), [2, 2, 2]);
  // One segment larger than the cap still goes (alone).
  const big = planBundles({
    listed: segs(2),
    archived: new Set(),
    bundleMs: 60_000,
    closed: true,
    now: T0,
    bytes: () => 5000,
    maxBytes: 1000,
  });
  assertEquals(big.map((b) => b.length), [1, 1]);
});

Deno.test("manifest: byte ranges into bundles, wall-clock times, discontinuity at a gap, ENDLIST when final", () => {
  const a = segs(3);
  const b = segs(2, 2000, T0 + 60_000); // after a gap
  const bundles = [
    {
      key: `p/${T0}.ts`,
      size: 300,
      md5: "x",
      segments: a.map((s, i) => ({ name: s.uri, offset: i * 100, bytes: 100 })),
    },
    {
      key: `p/${T0 + 60_000}.ts`,
      size: 250,
      md5: "y",
      segments: b.map((s, i) => ({ name: s.uri, offset: i * 125, bytes: 125 })),
    },
  ];
  const entries = manifestEntries(bundles);
  assertEquals(entries.map((e) => [e.uri, e.offset, e.bytes]), [
    [`${T0}.ts`, 0, 100],
    [`${T0}.ts`, 100, 100],
    [`${T0}.ts`, 200, 100],
    [`${T0 + 60_000}.ts`, 0, 125],
    [`${T0 + 60_000}.ts`, 125, 125],
  ]);
  const text = renderManifest(bundles, true);
  assert(text.startsWith("#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:2\n"), text);
  assert(text.includes("#EXT-X-PLAYLIST-TYPE:VOD\n"));
  assertEquals(text.match(/#EXT-X-BYTERANGE:/g)?.length, 5);
  assertEquals(text.match(/#EXT-X-PROGRAM-DATE-TIME:/g)?.length, 5);
  assertEquals(text.match(/#EXT-X-DISCONTINUITY\n/g)?.length, 1);
  assert(text.includes(`#EXTINF:2.000,\n#EXT-X-BYTERANGE:100@200\n${T0}.ts\n`), text);
  assert(text.endsWith("#EXT-X-ENDLIST\n"));
  const growing = renderManifest(bundles.slice(0, 1), false);
  assert(growing.includes("#EXT-X-PLAYLIST-TYPE:EVENT\n") && !growing.includes("ENDLIST"));
  // A segment in two bundles (a bundle sent again) is listed once.
  assertEquals(manifestEntries([...bundles, bundles[1]]).length, 5);
});

Deno.test("backoff: 1 s doubling to 30 s; the bitrate cap's pause", () => {
  assertEquals([0, 1, 2, 3, 5, 6, 10, 50].map((n) => retryDelayMs(n)), [
    0,
    1000,
    2000,
    4000,
    16_000,
    30_000,
    30_000,
    30_000,
  ]);
  assertEquals(throttleDelayMs(1_000_000, 0, 8_000_000), 1000); // 1 MB at 8 Mbit/s: 1 s
  assertEquals(throttleDelayMs(1_000_000, 400, 8_000_000), 600);
  assertEquals(throttleDelayMs(1_000_000, 2000, 8_000_000), 0);
  assertEquals(throttleDelayMs(1_000_000, 0, undefined), 0);
});

Deno.test("store: S3 listing and error answers are read", () => {
  const xml = `<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a/b&amp;c.ts</Key>` +
    `<Size>12</Size></Contents><CommonPrefixes><Prefix>a/n1/</Prefix></CommonPrefixes>` +
    `<NextContinuationToken>tok</NextContinuationToken></ListBucketResult>`;
  assertEquals(parseListing(xml), {
    keys: [{ key: "a/b&c.ts", size: 12 }],
    prefixes: ["a/n1/"],
    next: "tok",
  });
  assertEquals(
    errorCode("<Error><Code>SignatureDoesNotMatch</Code></Error>"),
    "SignatureDoesNotMatch",
  );
});

Deno.test("expiry: this node's days before the cutoff are deleted, nothing else", async () => {
  const store = new MemoryStore();
  const put = (k: string) => store.put(k, new Uint8Array(1), "x");
  for (const date of ["2026-11-01", "2026-11-02", "2026-11-03"]) {
    for (const cam of ["1/1", "2/7"]) {
      await put(`fleet/n1/${cam}/${date}/120000/${T0}.ts`);
      await put(`fleet/n1/${cam}/${date}/120000/index.m3u8`);
    }
    await put(`fleet/n2/1/1/${date}/120000/index.m3u8`); // another recorder's
  }
  await put("fleet/n1/notes.txt");
  assertEquals(await expireArchive(store, "fleet", "n1", "2026-11-03"), 8);
  const left = [...store.objects.keys()];
  assertEquals(left.filter((k) => k.startsWith("fleet/n2/")).length, 3);
  assertEquals(left.filter((k) => k.startsWith("fleet/n1/") && k.includes("2026-11-03")).length, 4);
  assert(left.includes("fleet/n1/notes.txt"));
  assert(!left.some((k) => /n1\/.*2026-11-0[12]/.test(k)));
});
