/**
 * Playback start of an archive-only day vs a local day, through the recorder's own URLs (the
 * real server, started with the start task's permissions, tests/support/harness.ts) and a
 * real S3 server (a throwaway Ceph RGW, tests/support/ceph_rgw.ts). Two cameras record the
 * same `--minutes` of 1 s segments at `--mbps` (filler MPEG-TS packets: nothing decodes them
 * here) on yesterday's date; both sessions are archived (60 s bundles), then camera 1/2's
 * local files are removed (as `--local-max-age` evicts them), so its day is archive-only.
 * Measured alternately, `--rounds` times, a different segment each round: time to the first
 * byte of a segment, and to fetch the day playlist plus its first segment whole (what a
 * player needs before its first frame), by the day playlist and by the UI's span playlist
 * (`--presign`: the recorder runs with `--archive-presign on`, so the span playlist sends the
 * archive-only segment to the store by a 302). Prints Markdown for bench/RESULTS.md.
 * Run: deno run -A bench/archive_playback.ts [--minutes=5] [--mbps=4] [--rounds=30] [--presign]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { AwsClient } from "aws4fetch";
import { systemClock } from "../src/clock.ts";
import { createLogger } from "../src/log.ts";
import { S3Store } from "../src/archive/store.ts";
import { Archiver } from "../src/archive/uploader.ts";
import { readArchiveIndex } from "../src/storage/archive_index.ts";
import { Catalog } from "../src/storage/catalog.ts";
import { fillerSession, segmentBytes } from "./filler_session.ts";
import { startCephRgw } from "../tests/support/ceph_rgw.ts";
import { Nvr } from "../tests/support/harness.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    minutes: { type: "string", default: "5" },
    mbps: { type: "string", default: "4" },
    rounds: { type: "string", default: "30" },
    presign: { type: "boolean", default: false },
  },
});
const minutes = Number(values.minutes), mbps = Number(values.mbps);
const rounds = Number(values.rounds);
const segBytes = segmentBytes(mbps);

/** Milliseconds to the first body byte and to the whole body of a GET. */
async function timed(url: string): Promise<{ first: number; all: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  const reader = res.body!.getReader();
  let first = NaN, bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (bytes === 0) first = performance.now() - t0;
    bytes += value.length;
  }
  return { first, all: performance.now() - t0, bytes };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const root = await Deno.makeTempDir({ prefix: "nvr-playback-" });
const media = join(root, "media");
const rgw = await startCephRgw();
let nvr: Nvr | undefined;
try {
  const start = new Date(new Date().setHours(0, 0, 0, 0) - 86_400_000 + 36_000_000).getTime();
  const dirs: string[] = [];
  for (const seq of [1, 2]) {
    dirs.push(
      await fillerSession({
        mediaRoot: media,
        scratch: root,
        seq,
        start,
        seconds: minutes * 60,
        mbps,
      }),
    );
  }
  const catalog = new Catalog(media);
  await catalog.rebuild();
  const creds = { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey };
  const s3 = new AwsClient({ ...creds, service: "s3", region: "us-east-1" });
  await (await s3.fetch(`${rgw.endpoint}/playback`, { method: "PUT" })).body?.cancel();
  const archiver = new Archiver({
    mediaRoot: media,
    catalog,
    clock: systemClock,
    log: createLogger("json", {}, () => {}),
    store: new S3Store({
      endpoint: rgw.endpoint,
      bucket: "playback",
      region: "us-east-1",
      credentials: () => creds,
    }),
    prefix: "bench",
    node: "n1",
    bundleSeconds: 60,
  });
  if (!(await archiver.pass())) throw new Error("archiving failed");
  // Camera 1/2: every archived segment leaves the disk (what eviction does).
  for (const b of await readArchiveIndex(dirs[1])) {
    for (const x of b.segments) await Deno.remove(join(dirs[1], x.name));
  }
  nvr = await new Nvr({
    mediaRoot: media,
    env: {
      NVR_ARCHIVE_ACCESS_KEY_ID: creds.accessKeyId,
      NVR_ARCHIVE_SECRET_ACCESS_KEY: creds.secretAccessKey,
    },
    extraArgs: [
      "--archive-url=s3://playback/bench",
      `--archive-endpoint=${rgw.endpoint}`,
      "--node-id=n1",
      ...(values.presign ? ["--archive-presign=on"] : []),
    ],
  }).start();
  const date = dirs[0].split("/").at(-2)!;
  const dayUrl = (seq: number) => `${nvr!.base}/1/${seq}/${date}/index.m3u8`;
  const names = (await (await fetch(dayUrl(1))).text()).split("\n").filter((l) =>
    l.endsWith(".ts")
  );
  const segUrl = (seq: number, i: number) => new URL(names[i], dayUrl(seq)).href;
  const kinds = [["local", 1], ["archive-only", 2]] as const;
  const stats = {
    local: { ttfb: [], start: [], span: [] },
    "archive-only": { ttfb: [], start: [], span: [] },
  } as Record<
    string,
    { ttfb: number[]; start: number[]; span: number[] }
  >;
  // One untimed request each (connections, the archive index read once).
  for (const [, seq] of kinds) await timed(segUrl(seq, 0));
  for (let r = 0; r < rounds; r++) {
    const i = 1 + Math.floor(Math.random() * (names.length - 1));
    for (const [kind, seq] of r % 2 ? [...kinds].reverse() : kinds) {
      const seg = await timed(segUrl(seq, i));
      if (seg.bytes !== segBytes) throw new Error(`${kind}: ${seg.bytes} bytes`);
      stats[kind].ttfb.push(seg.first);
      // A player's start at another instant: the day playlist from there, then that segment.
      const j = 1 + ((i + names.length / 2) % (names.length - 1)) | 0;
      const t0 = performance.now();
      const text = await (await fetch(`${dayUrl(seq)}?from=${start + j * 1000}`)).text();
      if (!text.includes(names[j])) throw new Error(`${kind}: ${names[j]} not listed`);
      await timed(segUrl(seq, j));
      stats[kind].start.push(performance.now() - t0);
      // The UI's way: a span playlist from there, then its first entry (a byte range of a
      // bundle under /archive/ when presigning: a 302 to the store).
      const t1 = performance.now();
      const from = start + ((j + 7) % names.length) * 1000;
      const span = await (await fetch(
        `${nvr!.base}/api/export/gid/1/seq/${seq}/span.m3u8?from=${from}&to=${from + 600_000}`,
      )).text();
      const m = /\n(?:#EXT-X-BYTERANGE:(\d+)@(\d+)\n)?([^#\n][^\n]*)\n/.exec(span)!;
      const headers: Record<string, string> = m[1]
        ? { range: `bytes=${m[2]}-${Number(m[2]) + Number(m[1]) - 1}` }
        : {};
      const got = await fetch(new URL(m[3], nvr!.base), { headers });
      if ((await got.arrayBuffer()).byteLength !== segBytes) throw new Error(`${kind}: span entry`);
      stats[kind].span.push(performance.now() - t1);
    }
  }
  const row = (what: string, key: "ttfb" | "start" | "span") => {
    const [l, a] = [stats.local[key], stats["archive-only"][key]];
    const f = (xs: number[]) => `${pct(xs, 50).toFixed(1)} / ${pct(xs, 90).toFixed(1)} ms`;
    return `| ${what} | ${f(l)} | ${f(a)} | ${(pct(a, 50) / pct(l, 50)).toFixed(1)}× |`;
  };
  console.log(
    `${minutes} min per day at ${mbps} Mbit/s (1 s segments of ${
      (segBytes / 1024).toFixed(0)
    } KiB), ${rounds} rounds\n`,
  );
  console.log("| p50 / p90 | local day | archive-only day | archive-only / local (p50) |");
  console.log("| --- | --- | --- | --- |");
  console.log(row("first byte of a segment", "ttfb"));
  console.log(row("day playlist (`?from=`) + its first segment whole", "start"));
  console.log(
    row(
      `span playlist (UI) + its first segment whole${values.presign ? ", presigned" : ""}`,
      "span",
    ),
  );
} finally {
  await nvr?.stop();
  await rgw.stop();
  await Deno.remove(root, { recursive: true });
}
