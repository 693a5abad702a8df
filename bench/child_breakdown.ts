/**
 * Where one camera's recording child spends its CPU: the same 1080p25 4 Mbit/s RTSP camera
 * (bench/source.py) pulled by variants of the child, one at a time, interleaved (A, B, …, A,
 * B, …) so a busy moment hits every variant alike, each measured over 25 s after 5 s of
 * warm-up from /proc (utime + stime of the one process):
 *   floor       rtspsrc ! fakesink (GStreamer's floor for this workload)
 *   parse       + depayloader and parser, to fakesink
 *   ts-file     + mpegtsmux ! filesink (one file: no splitmuxsink, no tee, no watchdog)
 *   rec         the recording pipeline alone (depay, parse, watchdog, tee, splitmuxsink)
 *   rec+live    with the low-latency live branch (leaky queue ! gdppay ! tcpserversink)
 *   rec+all     with the live branch and the motion branch (the shipped default)
 *   ffmpeg      ffmpeg -c copy -f hls, the baseline
 *
 *   deno run -A bench/child_breakdown.ts [--rounds=2]
 */
import { parseArgs } from "node:util";
import { ensureClip, startSource } from "./source.ts";
import { buildPipelineArgs } from "../src/recorder/pipeline.ts";
import { parseSource } from "../src/recorder/source_url.ts";
import { liveBranch } from "../src/recorder/live/tap.ts";
import { motionBranch } from "../src/recorder/motion/motion_tap.ts";

const { values } = parseArgs({ args: Deno.args, options: { rounds: { type: "string" } } });
const rounds = Number(values.rounds ?? 2);
const source = await startSource(await ensureClip());

/** The child's argv as the recorder builds it, with the given tap branches. */
const child = (dir: string, branches: string[][]) =>
  buildPipelineArgs({
    source: parseSource(source.url),
    codec: "h264",
    branches,
    locationPattern: `${dir}/%05d.ts`,
    segmentSeconds: 2,
    latencyMs: 200,
    watchdogMs: 8000,
  });
/** The recording child's source part: rtspsrc → depayloader → parser, whole frames. */
const parsed = () => {
  const args = child("/unused", []);
  return args.slice(args.indexOf("rtspsrc"), args.indexOf("watchdog") - 1);
};
const VARIANTS: Record<string, (dir: string) => [string, string[]]> = {
  floor: () => ["gst-launch-1.0", [
    "-q",
    "rtspsrc",
    `location=${source.url}`,
    "protocols=tcp",
    "!",
    "fakesink",
  ]],
  parse: () => ["gst-launch-1.0", ["-q", ...parsed(), "!", "fakesink"]],
  "ts-file": (d) => [
    "gst-launch-1.0",
    ["-q", ...parsed(), "!", "mpegtsmux", "!", "filesink", `location=${d}/all.ts`],
  ],
  rec: (d) => ["gst-launch-1.0", child(d, [])],
  "rec+live": (d) => ["gst-launch-1.0", child(d, [liveBranch()])],
  "rec+all": (d) => ["gst-launch-1.0", child(d, [liveBranch(), motionBranch("h264", d)])],
  ffmpeg: (d) => ["ffmpeg", [
    ...["-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", source.url],
    ...["-c", "copy", "-f", "hls", "-hls_time", "2", "-hls_list_size", "0", `${d}/index.m3u8`],
  ]],
};

const cpuSeconds = async (pid: number) => {
  const f = (await Deno.readTextFile(`/proc/${pid}/stat`)).split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const results: Record<string, number[]> = {};
try {
  for (let round = 0; round < rounds; round++) {
    for (const [name, make] of Object.entries(VARIANTS)) {
      const dir = await Deno.makeTempDir({ prefix: "nvr-breakdown-" });
      const [cmd, args] = make(dir);
      const p = new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).spawn();
      const stderr = new Response(p.stderr).text();
      await sleep(5000);
      const c0 = await cpuSeconds(p.pid), t0 = performance.now();
      await sleep(25_000);
      const pct = ((await cpuSeconds(p.pid).catch(() => c0)) - c0) /
        ((performance.now() - t0) / 1000) * 100;
      p.kill("SIGKILL");
      await p.status;
      const segments = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".ts")).length;
      await Deno.remove(dir, { recursive: true });
      // A recording that stopped early measured nothing: left out, its error shown.
      if (name.startsWith("rec") && segments < 10) {
        console.log(
          `round ${round + 1} ${name}: FAILED (${segments} segments): ` +
            (await stderr).slice(0, 400),
        );
        continue;
      }
      (results[name] ??= []).push(pct);
      console.log(`round ${round + 1} ${name}: ${pct.toFixed(2)}% of a core, ${segments} segments`);
    }
  }
} finally {
  await source.stop();
}
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b), m = (s.length - 1) / 2;
  return (s[Math.floor(m)] + s[Math.ceil(m)]) / 2;
};
const ff = median(results.ffmpeg);
console.log("\n| child | % of a core (median) | × ffmpeg |\n|---|---:|---:|");
for (const [name, v] of Object.entries(results)) {
  console.log(`| ${name} | ${median(v).toFixed(2)} | ${(median(v) / ff).toFixed(2)}× |`);
}
