/** Benchmark settings: `--quick` or the full run, each overridable by flag or BENCH_* env. */
import { parseArgs } from "node:util";

export interface Options {
  quick: boolean;
  /** Camera counts for the copy recorders (NVR, ffmpeg). */
  ns: number[];
  /** Camera counts for the seed's encoding pipeline (~1 core per 1080p camera). */
  seedNs: number[];
  /** Camera counts for the NVR with its cameras in overlay mode (decode + x264). */
  overlayNs: number[];
  /** Camera counts for motion detection on vs off (bench/motion.ts). */
  motionNs: number[];
  /** Off/on pairs measured per camera count. */
  motionRounds: number;
  /** Seconds each motion run settles before its window (steady state). */
  motionSettleS: number;
  /** CPU measuring window per run, seconds. */
  windowS: number;
  /** Minimum length of the write-amplification recording, seconds. */
  writeAmpMinS: number;
  latencyS: number;
  browserLiveS: number;
  apiS: number;
  apiConnections: number;
  /** MQTT event rate (bench/mqtt_rate.ts): events in a flood, the paced rate, its length. */
  mqtt: { floodEvents: number; rate: number; seconds: number; rounds: number };
  scaleCameras: number;
  scaleDays: number;
  sessionsPerDay: number;
  only?: Set<string>;
  /** Where RESULTS.md and the chart go (the bench folder by default). */
  reportDir?: string;
  /** Re-render RESULTS.md from bench/out/results.json without measuring. */
  reportOnly: boolean;
}

const list = (s: string) => s.split(",").map((x) => Number(x.trim())).filter((x) => x > 0);

export function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean" },
      ns: { type: "string" },
      "seed-ns": { type: "string" },
      "overlay-ns": { type: "string" },
      "motion-ns": { type: "string" },
      "motion-rounds": { type: "string" },
      "motion-settle": { type: "string" },
      window: { type: "string" },
      "write-amp-min": { type: "string" },
      "api-seconds": { type: "string" },
      only: { type: "string" },
      "report-dir": { type: "string" },
      "report-only": { type: "boolean" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      "deno task bench [--quick] [--ns=1,4,16,32] [--seed-ns=1,2] [--overlay-ns=1] [--window=S]\n" +
        "  [--motion-ns=1,8] [--motion-rounds=N] [--motion-settle=S]\n" +
        "  [--write-amp-min=S] [--api-seconds=S] [--only=cost,motion,writeamp,api,scale,latency,liveview,mqtt]\n" +
        "  [--report-dir=DIR] [--report-only]   (each also as env BENCH_QUICK=1, BENCH_NS, BENCH_WINDOW, ...)",
    );
    Deno.exit(0);
  }
  const env = (k: string) => Deno.env.get(`BENCH_${k.toUpperCase().replaceAll("-", "_")}`);
  const get = (k: string) => (values as Record<string, string | undefined>)[k] ?? env(k);
  const quick = values.quick ?? ["1", "true"].includes(env("quick") ?? "");
  const only = get("only");
  return {
    quick,
    ns: list(get("ns") ?? (quick ? "1,4" : "1,4,16,32")),
    seedNs: list(get("seed-ns") ?? (quick ? "1" : "1,2")),
    overlayNs: list(get("overlay-ns") ?? "1"),
    motionNs: list(get("motion-ns") ?? (quick ? "1" : "1,8")),
    motionRounds: Number(get("motion-rounds") ?? (quick ? 1 : 2)),
    motionSettleS: Number(get("motion-settle") ?? (quick ? 10 : 40)),
    windowS: Number(get("window") ?? (quick ? 15 : 40)),
    writeAmpMinS: Number(get("write-amp-min") ?? (quick ? 120 : 600)),
    latencyS: quick ? 12 : 30,
    browserLiveS: quick ? 8 : 20,
    apiS: Number(get("api-seconds") ?? (quick ? 4 : 10)),
    apiConnections: 32,
    mqtt: {
      floodEvents: quick ? 2000 : 10_000,
      rate: 200,
      seconds: quick ? 5 : 10,
      rounds: quick ? 1 : 3,
    },
    scaleCameras: 16,
    scaleDays: 365,
    sessionsPerDay: 4,
    only: only ? new Set(only.split(",")) : undefined,
    reportDir: get("report-dir"),
    reportOnly: values["report-only"] ?? false,
  };
}
