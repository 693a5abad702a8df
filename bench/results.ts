/** Everything one benchmark run measured (also written raw to bench/out/results.json). */
import type { ApiRow } from "./api.ts";
import type { LiveBrowserResult, StartResult } from "./browser.ts";
import type { CostRow } from "./cost.ts";
import type { LatencyStats } from "./live_latency.ts";
import type { Machine } from "./machine.ts";
import type { ScaleRun } from "./scale.ts";
import type { SOURCE } from "./source.ts";
import type { WriteAmpRow } from "./write_amp.ts";

export interface Results {
  startedAt: string;
  finishedAt?: string;
  command: string;
  options: Record<string, unknown>;
  machine: Machine;
  source: typeof SOURCE;
  cost: CostRow[];
  writeAmp: WriteAmpRow[];
  api: ApiRow[];
  scale: ScaleRun[];
  latency?: { nvr: LatencyStats; ffmpeg: LatencyStats; browser?: LiveBrowserResult };
  playback: ({ label: string } & StartResult)[];
  machineBusyCores?: number;
  loadAfter?: string;
  errors: string[];
}
