/**
 * 4. Index at scale: a synthetic year for 16 cameras against a synthetic single day
 * (the baseline): start-up catalog rebuild, the calendar (days) and day timeline (date)
 * queries, the composed day playlist, and the recorder's memory.
 */
import { freePort, sleep, type Spawned, waitLine } from "./procs.ts";
import { spawnNvr } from "./recorders.ts";
import { quantile } from "./live_latency.ts";

export interface QueryStats {
  p50Ms: number;
  p99Ms: number;
  bytes: number;
}

export interface ScaleRun {
  label: string;
  sessions: number;
  /** Spawn to "listening" (process and runtime start-up). */
  listenMs: number;
  /** Spawn to "catalog rebuilt from disk". */
  readyMs: number;
  rebuildMs: number;
  rssMb: number;
  days: QueryStats;
  date: QueryStats;
  dayPlaylist?: QueryStats;
  shortPlaylist?: QueryStats;
}

async function rssMb(pid: number): Promise<number> {
  const text = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/^VmRSS:\s+(\d+)/m.exec(text)?.[1] ?? NaN) / 1024;
}

export async function timeQuery(url: string, count: number): Promise<QueryStats> {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const res = await fetch(url);
    const body = await res.arrayBuffer();
    ms.push(performance.now() - t);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    bytes = body.byteLength;
  }
  return { p50Ms: quantile(ms, 0.5), p99Ms: quantile(ms, 0.99), bytes };
}

export interface StartedNvr {
  proc: Spawned;
  base: string;
  listenMs: number;
  readyMs: number;
  rebuildMs: number;
  sessions: number;
}

/** Starts the recorder on an existing folder and times its start-up. */
export async function startTimed(dir: string): Promise<StartedNvr> {
  const port = freePort();
  const t0 = performance.now();
  const proc = spawnNvr(dir, port);
  try {
    await waitLine(proc, /"msg":"listening"/, 60_000);
    const listenMs = performance.now() - t0;
    const line = await waitLine(proc, /"msg":"catalog rebuilt from disk"/, 300_000);
    const readyMs = performance.now() - t0;
    const ts = (re: RegExp) => Date.parse(JSON.parse(proc.lines.find((l) => re.test(l))!).time);
    return {
      proc,
      base: `http://127.0.0.1:${port}`,
      listenMs,
      readyMs,
      rebuildMs: ts(/"catalog rebuilt/) - ts(/"msg":"listening"/),
      sessions: JSON.parse(line).sessions,
    };
  } catch (err) {
    await proc.stop("SIGKILL");
    throw err;
  }
}

export async function measureScale(
  label: string,
  dir: string,
  date: string,
  shortSeq: number | undefined,
  queries: number,
  keep = false,
): Promise<{ run: ScaleRun; nvr: StartedNvr }> {
  const nvr = await startTimed(dir);
  try {
    await sleep(500);
    const api = `${nvr.base}/api/recordings/gid/1/seq/1`;
    const run: ScaleRun = {
      label,
      sessions: nvr.sessions,
      listenMs: nvr.listenMs,
      readyMs: nvr.readyMs,
      rebuildMs: nvr.rebuildMs,
      rssMb: await rssMb(nvr.proc.pid),
      days: await timeQuery(`${api}/days`, queries),
      date: await timeQuery(`${api}/date/${date}`, queries),
    };
    if (shortSeq !== undefined) {
      run.dayPlaylist = await timeQuery(`${nvr.base}/1/1/${date}/index.m3u8`, 10);
      run.shortPlaylist = await timeQuery(`${nvr.base}/1/${shortSeq}/${date}/index.m3u8`, 10);
    }
    run.rssMb = Math.max(run.rssMb, await rssMb(nvr.proc.pid));
    if (!keep) await nvr.proc.stop("SIGTERM");
    return { run, nvr };
  } catch (err) {
    await nvr.proc.stop("SIGKILL");
    throw err;
  }
}
