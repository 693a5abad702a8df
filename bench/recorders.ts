/**
 * The recorders under test, each started for N cameras on the same RTSP source:
 *   nvr     this project (one Deno server, one gst-launch stream-copy child per camera;
 *           motion detection on, the default)
 *   nomotion the same with `--motion=off` (bench/motion.ts: what detection costs)
 *   overlay this project with every camera in `overlay` mode (per-camera options API):
 *           its children decode, burn in the time and encode with x264 (ultrafast)
 *   seed    the seed's pipeline, decode + clockoverlay + x264enc + mpegtsmux ! hlssink
 *   ffmpeg  `ffmpeg -rtsp_transport tcp -i … -c copy -f hls`, one process per camera
 */
import { join } from "node:path";
import { childrenNamed } from "./procstat.ts";
import { serverArgv } from "../tools/server_flags.ts";
import { freePort, spawn, type Spawned, waitFor, waitLine } from "./procs.ts";

export type RecorderKind = "nvr" | "nomotion" | "overlay" | "seed" | "ffmpeg";

export interface Recorder {
  kind: RecorderKind;
  /** Root PIDs whose process trees make up the recorder. */
  roots(): number[];
  /**
   * The per-camera media processes alone: the NVR's gst-launch children (not the Deno
   * server), the seed's gst-launch and ffmpeg processes (their roots).
   */
  workers(): Promise<number[]>;
  /** Playlist file of each camera (the live one for the NVR). */
  playlists: string[];
  /** Folder holding everything it writes. */
  dir: string;
  /** HTTP base URL (NVR only). */
  base?: string;
  stop(): Promise<void>;
}

export const SEGMENT_SECONDS = 2;

export interface NvrOptions {
  isRec?: 0 | 1;
  liveSegments?: number;
  /** Camera mode set through the options API after each camera is added (copy: default). */
  mode?: "copy" | "overlay";
  /** Motion detection (`--motion`); on by default, as the recorder ships. */
  motion?: boolean;
  /** More server flags (e.g. `--live-view=off`). */
  extra?: string[];
}

const GST_LAUNCH = "gst-launch-1.0";

export async function startNvr(
  dir: string,
  n: number,
  url: string,
  opts: NvrOptions = {},
): Promise<Recorder & { proc: Spawned; base: string }> {
  const port = freePort();
  const proc = spawnNvr(
    dir,
    port,
    opts.liveSegments,
    [...(opts.motion === false ? ["--motion=off"] : []), ...(opts.extra ?? [])],
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitLine(proc, /"msg":"catalog rebuilt from disk"/, 60_000);
    for (let i = 1; i <= n; i++) {
      const res = await fetch(`${base}/api/camera`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          seq: i,
          gid: 1,
          name: `bench ${i}`,
          iaddr: url,
          protocol: "rtsp",
          isRec: opts.isRec ?? 1,
        }),
      });
      await res.body?.cancel();
      if (res.status !== 201) throw new Error(`POST /api/camera: ${res.status}`);
      if (opts.mode) await setMode(base, i, opts.mode);
    }
    if (opts.mode === "overlay") await waitOverlayChildren(proc.pid, n);
  } catch (err) {
    await proc.stop("SIGKILL");
    throw err;
  }
  return {
    kind: opts.mode === "overlay" ? "overlay" : opts.motion === false ? "nomotion" : "nvr",
    proc,
    base,
    dir,
    roots: () => [proc.pid],
    workers: () => childrenNamed(proc.pid, GST_LAUNCH),
    playlists: Array.from(
      { length: n },
      (_, i) => join(dir, "media", "1", String(i + 1), "hls", "index.m3u8"),
    ),
    stop: () => proc.stop("SIGTERM", 10_000),
  };
}

async function setMode(base: string, seq: number, mode: "copy" | "overlay"): Promise<void> {
  const res = await fetch(`${base}/api/camera/seq/${seq}/gid/1/options`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ mode }),
  });
  await res.body?.cancel();
  if (res.status !== 200) throw new Error(`PUT options (mode=${mode}): ${res.status}`);
}

/** Waits until the NVR runs `n` gst-launch children and all of them encode (x264enc). */
async function waitOverlayChildren(pid: number, n: number): Promise<void> {
  await waitFor(
    async () => {
      // The recording children (the live view's muxer children record nothing).
      const kids = [];
      for (const k of await childrenNamed(pid, GST_LAUNCH)) {
        const argv = (await Deno.readTextFile(`/proc/${k}/cmdline`).catch(() => "")).split("\0");
        if (argv.includes("splitmuxsink")) kids.push(argv);
      }
      if (kids.length !== n) return undefined;
      return kids.every((argv) => argv.includes("x264enc")) || undefined;
    },
    `${n} overlay-mode gst-launch children`,
    30_000,
    250,
  );
}

/** The recorder process alone (no camera added), with the permissions it ships with. */
export function spawnNvr(
  dir: string,
  port: number,
  liveSegments = 6,
  extra: string[] = [],
): Spawned {
  const folders = { mediaRoot: join(dir, "media"), dataDir: join(dir, "data") };
  return spawn(
    Deno.execPath(),
    serverArgv(folders, [
      "--host=127.0.0.1",
      `--port=${port}`,
      "--demo=off",
      `--segment-seconds=${SEGMENT_SECONDS}`,
      `--live-segments=${liveSegments}`,
      "--log-format=json",
      ...extra,
    ]),
    { stderr: true },
  );
}

async function startEach(
  kind: RecorderKind,
  dir: string,
  n: number,
  argv: (camDir: string) => [string, string[]],
  playlist: string,
): Promise<Recorder> {
  const procs: Spawned[] = [];
  const playlists: string[] = [];
  for (let i = 1; i <= n; i++) {
    const camDir = join(dir, `cam${i}`);
    await Deno.mkdir(camDir, { recursive: true });
    const [cmd, args] = argv(camDir);
    procs.push(spawn(cmd, args, { stderr: true }));
    playlists.push(join(camDir, playlist));
  }
  return {
    kind,
    dir,
    playlists,
    roots: () => procs.map((p) => p.pid),
    workers: () => Promise.resolve(procs.map((p) => p.pid)),
    stop: async () => {
      await Promise.all(procs.map((p) => p.stop("SIGINT", 5000)));
    },
  };
}

/** The seed's pipeline with the mp4 branch removed (it does not negotiate on 1.22). */
export function startSeed(dir: string, n: number, url: string): Promise<Recorder> {
  return startEach("seed", dir, n, (camDir) => ["gst-launch-1.0", [
    "-e",
    "rtspsrc",
    `location=${url}`,
    "protocols=tcp",
    "!",
    "application/x-rtp,media=video",
    "!",
    "decodebin",
    "!",
    "clockoverlay",
    'time-format="%D %H:%M:%S"',
    "!",
    "x264enc",
    "!",
    "mpegtsmux",
    "!",
    "hlssink",
    `location=${join(camDir, "file%05d.ts")}`,
    `playlist-location=${join(camDir, "playlist.m3u8")}`,
  ]], "playlist.m3u8");
}

export function startFfmpeg(dir: string, n: number, url: string): Promise<Recorder> {
  return startEach("ffmpeg", dir, n, (camDir) => ["ffmpeg", [
    ...["-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", url],
    ...["-c", "copy", "-f", "hls", "-hls_time", String(SEGMENT_SECONDS), "-hls_list_size", "0"],
    ...["-hls_segment_filename", join(camDir, "seg%05d.ts"), join(camDir, "index.m3u8")],
  ]], "index.m3u8");
}

export function startRecorder(kind: RecorderKind, dir: string, n: number, url: string) {
  if (kind === "nvr") return startNvr(dir, n, url);
  if (kind === "nomotion") return startNvr(dir, n, url, { motion: false });
  if (kind === "overlay") return startNvr(dir, n, url, { mode: "overlay" });
  if (kind === "seed") return startSeed(dir, n, url);
  return startFfmpeg(dir, n, url);
}

/** The segment URIs each camera's playlist lists now. */
async function listed(r: Recorder): Promise<Set<string>[]> {
  return await Promise.all(r.playlists.map(async (p) => {
    const text = await Deno.readTextFile(p).catch(() => "");
    return new Set(text.split("\n").filter((l) => l && !l.startsWith("#")));
  }));
}

/** Waits until every camera's playlist lists `min` segments it did not list at the call. */
export async function waitNewSegments(r: Recorder, min: number, timeoutMs: number) {
  const before = await listed(r);
  await waitFor(
    async () =>
      (await listed(r)).every((now, i) => [...now].filter((u) => !before[i].has(u)).length >= min)
        ? true
        : undefined,
    `${min} new segment(s) from every ${r.kind} camera`,
    timeoutMs,
    250,
  );
}

/** Waits until every camera's playlist lists at least `min` segments. */
export async function waitSegments(r: Recorder, min: number, timeoutMs: number): Promise<void> {
  await waitFor(
    async () => {
      for (const p of r.playlists) {
        const text = await Deno.readTextFile(p).catch(() => "");
        if ((text.match(/#EXTINF/g) ?? []).length < min) return undefined;
      }
      return true;
    },
    `${min} segment(s) from every ${r.kind} camera`,
    timeoutMs,
    250,
  );
}
