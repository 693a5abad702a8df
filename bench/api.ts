/**
 * 3. API under concurrent load (wrk, loopback, bounded in time): requests/s and p50/p99
 * latency of `GET /api/camera`, the live playlist and a recorded segment, against a bare
 * `Deno.serve` that returns the same bodies from memory (the runtime's ceiling), or, for
 * a target with a `file`, streams that file from disk (a bare file server).
 */
import { join } from "node:path";
import { BENCH_DIR } from "./source.ts";
import { freePort, spawn, waitLine } from "./procs.ts";

export interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface ApiRow {
  name: string;
  bytes: number;
  nvr: WrkResult;
  baseline: WrkResult;
}

const toMs = (v: string, unit: string) =>
  Number(v) * ({ us: 1e-3, ms: 1, s: 1000, m: 60000 }[unit] ?? NaN);

export function parseWrk(text: string): WrkResult {
  const lat = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m").exec(text);
    return m ? toMs(m[1], m[2]) : NaN;
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = non2xx + (sock ? sock.slice(1).map(Number).reduce((a, b) => a + b, 0) : 0);
  return { rps, p50Ms: lat("50"), p99Ms: lat("99"), errors };
}

export async function wrk(url: string, seconds: number, connections: number): Promise<WrkResult> {
  const out = await new Deno.Command("wrk", {
    args: ["-t2", `-c${connections}`, `-d${seconds}s`, "--timeout", "5s", "--latency", url],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout((seconds + 30) * 1000),
  }).output();
  if (!out.success) throw new Error(`wrk: ${new TextDecoder().decode(out.stderr)}`);
  return parseWrk(new TextDecoder().decode(out.stdout));
}

export async function measureApi(
  base: string,
  targets: { name: string; path: string; file?: string }[],
  seconds: number,
  connections: number,
  scratch: string,
  log: (m: string) => void,
): Promise<ApiRow[]> {
  const dir = await Deno.makeTempDir({ dir: scratch, prefix: "api-" });
  for (const t of targets) {
    const res = await fetch(base + t.path);
    const body = new Uint8Array(await res.arrayBuffer());
    if (t.file) await Deno.writeTextFile(join(dir, `${t.name}.path`), t.file);
    else await Deno.writeFile(join(dir, `${t.name}.body`), body);
    await Deno.writeTextFile(join(dir, `${t.name}.bytes`), String(body.length));
    await Deno.writeTextFile(join(dir, `${t.name}.type`), res.headers.get("content-type") ?? "");
  }
  const port = freePort();
  const server = spawn(Deno.execPath(), [
    "run",
    "-A",
    join(BENCH_DIR, "static_server.ts"),
    String(port),
    dir,
  ], { stdout: true });
  const rows: ApiRow[] = [];
  try {
    await waitLine(server, /READY/, 20_000);
    for (const t of targets) {
      const bytes = Number(await Deno.readTextFile(join(dir, `${t.name}.bytes`)));
      const nvr = await wrk(base + t.path, seconds, connections);
      const baseline = await wrk(`http://127.0.0.1:${port}/${t.name}`, seconds, connections);
      rows.push({ name: t.name, bytes, nvr, baseline });
      log(
        `api ${t.name}: ${nvr.rps.toFixed(0)} rps p50 ${nvr.p50Ms.toFixed(2)} ms p99 ` +
          `${nvr.p99Ms.toFixed(2)} ms (baseline ${baseline.rps.toFixed(0)} rps)`,
      );
    }
  } finally {
    await server.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  return rows;
}
