/**
 * Child processes of the benchmark: every spawn is registered so that all of them
 * (and their process groups) are killed on exit, errors and Ctrl-C included.
 */

const live = new Set<Deno.ChildProcess>();

export interface Spawned {
  proc: Deno.ChildProcess;
  pid: number;
  /** Lines read so far from piped stdout/stderr (bounded). */
  lines: string[];
  stop(signal?: Deno.Signal, graceMs?: number): Promise<void>;
}

export function spawn(
  cmd: string,
  args: string[],
  opts: { stdout?: boolean; stderr?: boolean; cwd?: string; env?: Record<string, string> } = {},
): Spawned {
  const proc = new Deno.Command(cmd, {
    args,
    cwd: opts.cwd,
    env: opts.env,
    stdin: "null",
    stdout: opts.stdout ? "piped" : "null",
    stderr: opts.stderr ? "piped" : "null",
  }).spawn();
  live.add(proc);
  const lines: string[] = [];
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    let buf = "";
    try {
      for await (
        const chunk of stream.pipeThrough(
          new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>,
        )
      ) {
        buf += chunk;
        const parts = buf.split("\n");
        buf = parts.pop()!;
        lines.push(...parts);
        if (lines.length > 5000) lines.splice(0, lines.length - 5000);
      }
    } catch { /* closed */ }
  };
  if (opts.stdout) pump(proc.stdout);
  if (opts.stderr) pump(proc.stderr);
  let done = false;
  proc.status.then(() => {
    done = true;
    live.delete(proc);
  });
  return {
    proc,
    pid: proc.pid,
    lines,
    async stop(signal: Deno.Signal = "SIGTERM", graceMs = 5000) {
      if (done) return;
      try {
        proc.kill(signal);
      } catch { /* gone */ }
      const timer = setTimeout(() => {
        try {
          proc.kill("SIGKILL");
        } catch { /* gone */ }
      }, graceMs);
      await proc.status;
      clearTimeout(timer);
    },
  };
}

/** Waits until a line matching `re` was read, or throws after `timeoutMs`. */
export async function waitLine(p: Spawned, re: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hit = p.lines.find((l) => re.test(l));
    if (hit) return hit;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${re}: ${p.lines.slice(-5).join(" | ")}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Kills every child still running (SIGKILL), and any grandchildren left in their groups. */
export function killAll(): void {
  for (const proc of live) {
    for (const pid of descendants(proc.pid)) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch { /* gone */ }
    }
    try {
      proc.kill("SIGKILL");
    } catch { /* gone */ }
  }
}

function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const t = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      parent.set(Number(e.name), Number(t.slice(t.lastIndexOf(")") + 2).split(" ")[1]));
    } catch { /* gone */ }
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const p = todo.pop()!;
    for (const [c, pp] of parent) if (pp === p) (out.push(c), todo.push(c));
  }
  return out;
}

export { freePort } from "../tools/free_port.ts";

export async function waitFor<T>(
  fn: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch { /* retry */ }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
