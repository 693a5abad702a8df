/**
 * Process accounting from /proc: CPU ticks (utime+stime), RSS and I/O of a
 * process tree (roots plus every descendant alive at the time of reading).
 */

const CLK_TCK = 100; // sysconf(_SC_CLK_TCK) on Linux x86_64

interface ProcStat {
  pid: number;
  ppid: number;
  /** Executable name (truncated to 15 characters by the kernel). */
  comm: string;
  ticks: number;
  rssKb: number;
}

async function readStat(pid: number): Promise<ProcStat | undefined> {
  try {
    const text = await Deno.readTextFile(`/proc/${pid}/stat`);
    // Fields after the command name, which may contain spaces: "pid (comm) state ppid ...".
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    if (f[0] === "Z") return undefined;
    const ticks = Number(f[11]) + Number(f[12]);
    const rssKb = Number(f[21]) * 4; // pages of 4 KiB
    const comm = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
    return { pid, ppid: Number(f[1]), comm, ticks, rssKb };
  } catch {
    return undefined;
  }
}

async function allStats(): Promise<ProcStat[]> {
  const out: ProcStat[] = [];
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    const s = await readStat(Number(e.name));
    if (s) out.push(s);
  }
  return out;
}

/** The roots and all their live descendants. */
export async function treeStats(roots: number[]): Promise<ProcStat[]> {
  const stats = await allStats();
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  const out: ProcStat[] = [];
  const todo = roots.map((r) => byPid.get(r)).filter((s): s is ProcStat => !!s);
  while (todo.length) {
    const s = todo.pop()!;
    out.push(s);
    todo.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

/** PIDs of the live children of `parent` whose executable is `comm` (e.g. gst-launch-1.0). */
export async function childrenNamed(parent: number, comm: string): Promise<number[]> {
  return (await allStats()).filter((s) => s.ppid === parent && s.comm === comm).map((s) => s.pid);
}

export interface TreeSample {
  cpuSeconds: number;
  rssMb: number;
  processes: number;
}

export async function sampleTree(roots: number[]): Promise<TreeSample> {
  const stats = await treeStats(roots);
  return {
    cpuSeconds: stats.reduce((a, s) => a + s.ticks, 0) / CLK_TCK,
    rssMb: stats.reduce((a, s) => a + s.rssKb, 0) / 1024,
    processes: stats.length,
  };
}

/**
 * CPU seconds used by a tree between start() and stop(), per process (so processes that
 * appear later count from zero), and the peak and mean of the tree's summed RSS, sampled
 * every second.
 */
export class TreeMeter {
  #start = new Map<number, number>();
  #last = new Map<number, number>();
  #timer?: ReturnType<typeof setInterval>;
  #t0 = 0;
  #rssSum = 0;
  #samples = 0;
  peakRssMb = 0;

  constructor(readonly roots: () => number[] | Promise<number[]>) {}

  async start(): Promise<void> {
    for (const s of await treeStats(await this.roots())) this.#start.set(s.pid, s.ticks);
    this.#t0 = performance.now();
    this.#timer = setInterval(() => this.#sample(), 1000);
    await this.#sample();
  }

  async #sample(): Promise<void> {
    const stats = await treeStats(await this.roots());
    for (const s of stats) this.#last.set(s.pid, s.ticks);
    const rss = stats.reduce((a, s) => a + s.rssKb, 0) / 1024;
    this.peakRssMb = Math.max(this.peakRssMb, rss);
    this.#rssSum += rss;
    this.#samples++;
  }

  /** Returns CPU seconds used, wall seconds elapsed, and the peak and mean summed RSS. */
  async stop(): Promise<
    { cpuSeconds: number; wallSeconds: number; peakRssMb: number; meanRssMb: number }
  > {
    clearInterval(this.#timer);
    await this.#sample();
    const wallSeconds = (performance.now() - this.#t0) / 1000;
    let ticks = 0;
    for (const [pid, last] of this.#last) ticks += last - (this.#start.get(pid) ?? 0);
    return {
      cpuSeconds: ticks / CLK_TCK,
      wallSeconds,
      peakRssMb: this.peakRssMb,
      meanRssMb: this.#rssSum / this.#samples,
    };
  }
}

export interface IoCounters {
  wchar: number;
  writeBytes: number;
  cancelledWriteBytes: number;
}

/** Summed /proc/<pid>/io of a tree (needs the same user or root). */
export async function treeIo(roots: number[]): Promise<IoCounters> {
  const sum: IoCounters = { wchar: 0, writeBytes: 0, cancelledWriteBytes: 0 };
  for (const s of await treeStats(roots)) {
    try {
      const text = await Deno.readTextFile(`/proc/${s.pid}/io`);
      const v = (k: string) => Number(new RegExp(`^${k}: (\\d+)$`, "m").exec(text)?.[1] ?? 0);
      sum.wchar += v("wchar");
      sum.writeBytes += v("write_bytes");
      sum.cancelledWriteBytes += v("cancelled_write_bytes");
    } catch { /* exited */ }
  }
  return sum;
}

/** Whole-machine CPU busy fraction over an interval, from /proc/stat (for "was it busy"). */
export async function machineBusy(): Promise<{ busy: number; total: number }> {
  const line = (await Deno.readTextFile("/proc/stat")).split("\n")[0];
  const v = line.split(/\s+/).slice(1).map(Number);
  const idle = v[3] + v[4];
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}
