/**
 * 2. Write amplification: bytes written by the recorder's process tree (/proc/<pid>/io)
 * divided by bytes of media kept, for one recording camera, NVR against
 * `ffmpeg -c copy -f hls -hls_list_size 0` (which rewrites its whole playlist per segment).
 * Runs in the background for the whole benchmark (its CPU is ~1-2% of a core).
 */
import { join } from "node:path";
import { type IoCounters, treeIo } from "./procstat.ts";
import { type Recorder, startFfmpeg, startNvr, waitSegments } from "./recorders.ts";

export interface WriteAmpRow {
  kind: "nvr" | "ffmpeg";
  seconds: number;
  segments: number;
  keptBytes: number;
  /** write_bytes - cancelled_write_bytes (page cache dirtied: what reaches the disk). */
  diskBytes: number;
  /** wchar: bytes passed to write() (includes pipes, e.g. log lines). */
  wcharBytes: number;
  /** Bytes of the playlist(s)/index as they stand at the end. */
  indexBytes: number;
  amplification: number;
  /** Amplification in the second half only (linearity check). */
  amplificationLate: number;
  /** Extrapolated to 24 h of recording. */
  dayWrittenBytes: number;
  dayKeptBytes: number;
  dayAmplification: number;
}

async function sizes(dir: string, match: (path: string) => boolean): Promise<[number, number]> {
  let bytes = 0, files = 0;
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) await walk(p);
      else if (e.isFile && match(p)) (bytes += (await Deno.stat(p)).size, files++);
    }
  };
  await walk(dir).catch(() => {});
  return [bytes, files];
}

interface Snap {
  t: number;
  io: IoCounters;
  kept: number;
  segments: number;
}

export class WriteAmpRun {
  nvr!: Recorder & { base: string };
  ffmpeg!: Recorder;
  #timer?: ReturnType<typeof setInterval>;
  #snaps: Record<"nvr" | "ffmpeg", Snap[]> = { nvr: [], ffmpeg: [] };

  constructor(readonly dir: string, readonly url: string) {}

  async start(): Promise<void> {
    this.nvr = await startNvr(join(this.dir, "nvr"), 1, this.url);
    this.ffmpeg = await startFfmpeg(join(this.dir, "ffmpeg"), 1, this.url);
    await Promise.all([waitSegments(this.nvr, 1, 45_000), waitSegments(this.ffmpeg, 1, 45_000)]);
    await this.snapshot();
    this.#timer = setInterval(() => this.snapshot().catch(() => {}), 60_000);
  }

  /** Recorded media kept on disk: NVR session segments, ffmpeg's segments. */
  #kept(kind: "nvr" | "ffmpeg") {
    return kind === "nvr"
      ? sizes(
        join(this.dir, "nvr", "media"),
        (p) => /\/\d{4}-\d{2}-\d{2}\/\d{6}\/[^/]+\.ts$/.test(p),
      )
      : sizes(join(this.dir, "ffmpeg"), (p) => p.endsWith(".ts"));
  }

  async snapshot(): Promise<void> {
    for (const kind of ["nvr", "ffmpeg"] as const) {
      const rec = kind === "nvr" ? this.nvr : this.ffmpeg;
      const [kept, segments] = await this.#kept(kind);
      this.#snaps[kind].push({ t: Date.now(), io: await treeIo(rec.roots()), kept, segments });
    }
  }

  async finish(): Promise<WriteAmpRow[]> {
    clearInterval(this.#timer);
    await this.snapshot();
    const rows: WriteAmpRow[] = [];
    for (const kind of ["nvr", "ffmpeg"] as const) {
      const s = this.#snaps[kind];
      const a = s[0], z = s[s.length - 1], mid = s[Math.floor(s.length / 2)] ?? a;
      const disk = (x: Snap) => x.io.writeBytes - x.io.cancelledWriteBytes;
      const written = disk(z) - disk(a), kept = z.kept - a.kept;
      const seconds = (z.t - a.t) / 1000, segments = z.segments - a.segments;
      const [indexBytes] = kind === "nvr"
        ? await sizes(join(this.dir, "nvr", "media"), (p) => p.endsWith(".m3u8"))
        : await sizes(join(this.dir, "ffmpeg"), (p) => p.endsWith(".m3u8"));
      const daySegs = 86400 / (seconds / Math.max(1, segments));
      const dayKept = kept / seconds * 86400;
      let dayWritten: number;
      if (kind === "nvr") {
        // Every per-segment write is O(1) (append, fixed live window): linear.
        dayWritten = written / seconds * 86400;
      } else {
        // The whole playlist is rewritten after each segment: sum of k entries, k = 1..n.
        const entry = indexBytes / Math.max(1, z.segments);
        const overhead = written - kept;
        const perSegNonPlaylist = Math.max(
          0,
          (overhead - entry * (z.segments * (z.segments + 1) - a.segments * (a.segments + 1)) / 2) /
            Math.max(1, segments),
        );
        dayWritten = dayKept + perSegNonPlaylist * daySegs + entry * daySegs * (daySegs + 1) / 2;
      }
      const lateWritten = disk(z) - disk(mid), lateKept = z.kept - mid.kept;
      rows.push({
        kind,
        seconds,
        segments,
        keptBytes: kept,
        diskBytes: written,
        wcharBytes: z.io.wchar - a.io.wchar,
        indexBytes,
        amplification: written / kept,
        amplificationLate: lateKept > 0 ? lateWritten / lateKept : NaN,
        dayWrittenBytes: dayWritten,
        dayKeptBytes: dayKept,
        dayAmplification: dayWritten / dayKept,
      });
    }
    return rows;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all([this.nvr?.stop(), this.ffmpeg?.stop()]);
  }
}
