/**
 * The benchmark's camera: a 1080p25, ~4 Mbit/s, 2 s GOP H.264 clip encoded once with
 * ffmpeg (cached under bench/out/), looped in real time by bench/source.py and shared
 * by every RTSP client (no encoding while benchmarking).
 */
import { join } from "node:path";
import { freePort, spawn, type Spawned, waitLine } from "./procs.ts";

export const BENCH_DIR = new URL("./", import.meta.url).pathname;
export const REPO = new URL("../", import.meta.url).pathname;
export const OUT = join(BENCH_DIR, "out");
const PYTHON = "/usr/bin/python3"; // Debian's, which has python3-gi

export const SOURCE = {
  width: 1920,
  height: 1080,
  fps: 25,
  gopFrames: 50,
  kbps: 4000,
  clipSeconds: 20,
};

export async function ensureClip(): Promise<string> {
  const clip = join(OUT, `source-${SOURCE.height}p${SOURCE.fps}.h264`);
  try {
    if ((await Deno.stat(clip)).size > 0) return clip;
  } catch { /* encode it */ }
  await Deno.mkdir(OUT, { recursive: true });
  const { width, height, fps, gopFrames, kbps, clipSeconds } = SOURCE;
  const out = await new Deno.Command("ffmpeg", {
    args: [
      ...["-nostdin", "-loglevel", "error", "-y", "-f", "lavfi"],
      ...["-i", `testsrc2=size=${width}x${height}:rate=${fps}`, "-t", String(clipSeconds)],
      // Noise makes the picture hard enough to compress that the bitrate reaches the target.
      ...["-vf", "noise=alls=12:allf=t", "-c:v", "libx264", "-preset", "veryfast"],
      ...["-profile:v", "high", "-level", "4.0", "-pix_fmt", "yuv420p"],
      ...["-b:v", `${kbps}k`, "-maxrate", `${Math.round(kbps * 1.1)}k`, "-bufsize", `${kbps}k`],
      ...["-g", String(gopFrames), "-keyint_min", String(gopFrames), "-sc_threshold", "0"],
      ...["-bf", "0", "-f", "h264", clip + ".tmp"],
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`ffmpeg: ${new TextDecoder().decode(out.stderr)}`);
  await Deno.rename(clip + ".tmp", clip);
  return clip;
}

export interface Source {
  proc: Spawned;
  url: string;
  stop(): Promise<void>;
}

export async function startSource(clip: string): Promise<Source> {
  const port = freePort();
  const proc = spawn(PYTHON, [join(BENCH_DIR, "source.py"), String(port), clip], {
    stdout: true,
    stderr: true,
  });
  await waitLine(proc, /^READY/, 20_000);
  return {
    proc,
    url: `rtsp://127.0.0.1:${port}/h264`,
    stop: () => proc.stop("SIGKILL"),
  };
}
