/**
 * Test harness: real parts only. Starts the test RTSP server (GStreamer's RTSP
 * server library via Debian's python3-gi), the recorder as a real child process
 * (`deno run main.ts` with the permission flags of deno.json's start task, see
 * tools/server_flags.ts), and probes media with ffprobe.
 */
import { join } from "node:path";
import { type ApiAnswer, apiCall } from "./api_call.ts";
import { freePort } from "../../tools/free_port.ts";
import { REPO, serverArgv } from "../../tools/server_flags.ts";

export { freePort, REPO };
export const PYTHON = "/usr/bin/python3";

export async function waitFor<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 20_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError}` : ""}`,
  );
}

async function readLinesUntil(
  stream: ReadableStream<Uint8Array>,
  match: RegExp,
  sink: string[],
  onEnd?: (ended: Promise<void>) => void,
): Promise<void> {
  const reader = stream.pipeThrough(
    new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>,
  )
    .getReader();
  let buf = "";
  let matched = false;
  return await new Promise((resolve, reject) => {
    const loop = (async () => {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        const lines = buf.split("\n");
        buf = lines.pop()!;
        for (const l of lines) {
          sink.push(l);
          if (!matched && match.test(l)) {
            matched = true;
            resolve();
          }
        }
      }
      if (!matched) {
        reject(new Error(`stream ended before ${match}: ${sink.slice(-5).join(" | ")}`));
      }
    })();
    loop.catch(reject);
    onEnd?.(loop.catch(() => {}));
  });
}

export interface RtspServerOptions {
  port?: number;
  gop?: number;
  fps?: number;
  user?: string;
  password?: string;
  digest?: boolean;
  /** Picture size, `WxH` (default 320x240). */
  size?: string;
  /** videotestsrc pattern of the picture (default ball). */
  pattern?: string;
  /** What the /h264 mount serves: "h265" simulates a camera that changed codec. */
  h264As?: "h264" | "h265";
  /** Slices per H.264 frame (a multi-slice camera); 1 by default. */
  slices?: number;
  /** Encoder bitrate, kbit/s (default 300). */
  bitrate?: number;
  /** Adds the motion detector's scenes /motion and /drift (see rtsp_server.py). */
  motionScenes?: boolean;
  /** /blink: seconds between flashes (default 2): latencies up to it are measured. */
  blinkPeriod?: number;
}

export class RtspServer {
  port: number;
  #proc?: Deno.ChildProcess;
  readonly lines: string[] = [];

  constructor(readonly options: RtspServerOptions = {}) {
    this.port = options.port ?? freePort();
  }

  url(mount = "h264", credentials?: string): string {
    return `rtsp://${credentials ? credentials + "@" : ""}127.0.0.1:${this.port}/${mount}`;
  }

  async start(): Promise<this> {
    const o = this.options;
    const args = [join(REPO, "tests/support/rtsp_server.py"), String(this.port)];
    if (o.gop) args.push("--gop", String(o.gop));
    if (o.fps) args.push("--fps", String(o.fps));
    if (o.user) args.push("--user", o.user, "--password", o.password ?? "");
    if (o.digest) args.push("--digest");
    if (o.size) args.push("--size", o.size);
    if (o.pattern) args.push("--pattern", o.pattern);
    if (o.h264As) args.push("--h264-as", o.h264As);
    if (o.slices) args.push("--slices", String(o.slices));
    if (o.bitrate) args.push("--bitrate", String(o.bitrate));
    if (o.motionScenes) args.push("--motion-scenes");
    if (o.blinkPeriod) args.push("--blink-period", String(o.blinkPeriod));
    this.#proc = new Deno.Command(PYTHON, { args, stdout: "piped", stderr: "inherit" }).spawn();
    await readLinesUntil(this.#proc.stdout, /^READY/, this.lines);
    return this;
  }

  async stop(): Promise<void> {
    await killChild(this.#proc);
    this.#proc = undefined;
  }
}

export interface NvrOptions {
  segmentSeconds?: number;
  liveSegments?: number;
  controllerUrl?: string;
  mediaRoot?: string;
  dataDir?: string;
  port?: number;
  extraArgs?: string[];
  /** Start even when /api/health answers 503 (e.g. a read-only media root). */
  allowUnhealthy?: boolean;
  /** Authorization header for api() (when access control is on). */
  authorization?: string;
  /** Folders added to `--allow-read`, as a user would for them (e.g. `--file-root`). */
  extraRead?: string[];
  /** Environment variables added to the server's (e.g. credentials that have no flag). */
  env?: Record<string, string>;
}

/** The line the Deno runtime prints when an exception or promise rejection went unhandled. */
// deno-lint-ignore no-control-regex -- "error" may come wrapped in ANSI colour codes
export const UNCAUGHT_RE = /^(\x1b\[[0-9;]*m)*error(\x1b\[[0-9;]*m)*: Uncaught\b/;

/** The recorder as a real process with its own temporary media root and data dir. */
export class Nvr {
  port: number;
  mediaRoot: string;
  dataDir: string;
  readonly logs: string[] = [];
  #proc?: Deno.ChildProcess;
  #stderrEnded?: Promise<void>;

  constructor(readonly options: NvrOptions = {}) {
    this.port = options.port ?? freePort();
    const tmp = Deno.makeTempDirSync({ prefix: "nvr-test-" });
    this.mediaRoot = options.mediaRoot ?? join(tmp, "media");
    this.dataDir = options.dataDir ?? join(tmp, "data");
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#proc?.pid;
  }

  async start(): Promise<this> {
    const o = this.options;
    const folders = { mediaRoot: this.mediaRoot, dataDir: this.dataDir, extraRead: o.extraRead };
    const args = serverArgv(folders, [
      "--host=127.0.0.1",
      `--port=${this.port}`,
      "--demo=off",
      `--segment-seconds=${o.segmentSeconds ?? 1}`,
      `--live-segments=${o.liveSegments ?? 4}`,
      ...(o.controllerUrl ? [`--controller-url=${o.controllerUrl}`] : []),
      ...(o.extraArgs ?? []),
    ]);
    this.#proc = new Deno.Command(Deno.execPath(), {
      args,
      env: o.env,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const ready = readLinesUntil(
      this.#proc.stderr,
      /"msg":"listening"/,
      this.logs,
      (ended) => this.#stderrEnded = ended,
    );
    await ready;
    await waitFor(
      () =>
        fetch(`${this.base}/api/health`).then((r) =>
          r.body?.cancel().then(() => r.ok || (!!o.allowUnhealthy && r.status === 503))
        ),
      "recorder health",
    );
    await waitFor(
      async () => (await this.api("GET", "/api/boot/end")).json === 1,
      "boot to end",
      30_000,
    );
    return this;
  }

  /** Lines of the server's stderr that show an uncaught exception or unhandled rejection. */
  uncaught(): string[] {
    return this.logs.filter((l) => UNCAUGHT_RE.test(l));
  }

  /**
   * Stops with a signal (SIGTERM: clean) and waits for the process to exit. Throws when
   * the server printed an uncaught exception or unhandled rejection while it ran: one
   * such error ends the process and every camera with it.
   */
  async stop(signal: Deno.Signal = "SIGTERM"): Promise<Deno.CommandStatus | undefined> {
    if (!this.#proc) return undefined;
    try {
      this.#proc.kill(signal);
    } catch { /* gone */ }
    const status = await this.#proc.status;
    this.#proc = undefined;
    await this.#stderrEnded;
    const uncaught = this.uncaught();
    if (uncaught.length > 0) {
      throw new Error(`the server had an uncaught error: ${uncaught.slice(0, 3).join(" | ")}`);
    }
    return status;
  }

  api(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const send = (p: string, init: RequestInit) => fetch(`${this.base}${p}`, init);
    return apiCall(send, method, path, body, this.options.authorization);
  }
}

/** Runs ffprobe (errors only) with `args`; its stdout, or an error with its stderr. */
export async function ffprobe(args: string[], timeoutMs = 30_000): Promise<string> {
  const out = await new Deno.Command("ffprobe", {
    args: ["-v", "error", ...args],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  if (!out.success) throw new Error(`ffprobe failed: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

/** Duration in seconds, video codec and size, audio codec of a media file or playlist (ffprobe). */
export async function probe(
  pathOrUrl: string,
): Promise<
  { duration: number; codec: string; width: number; audio?: string; sampleRate?: number }
> {
  const json = JSON.parse(
    await ffprobe([
      "-show_entries",
      "format=duration:stream=codec_name,width,codec_type,sample_rate",
      "-of",
      "json",
      pathOrUrl,
    ]),
  );
  const video = json.streams.find((s: { codec_type: string }) => s.codec_type === "video");
  const audio = json.streams.find((s: { codec_type: string }) => s.codec_type === "audio");
  return {
    duration: Number(json.format.duration),
    codec: video?.codec_name,
    width: video?.width,
    audio: audio?.codec_name,
    sampleRate: audio ? Number(audio.sample_rate) : undefined,
  };
}

/** Decodes every frame of a file or finished (VOD) playlist; never a live one (it never ends). returns the number of video frames decoded. */
export async function decodeFrames(pathOrUrl: string): Promise<number> {
  const out = await ffprobe([
    "-count_frames",
    "-select_streams",
    "v:0",
    "-show_entries",
    "stream=nb_read_frames",
    "-of",
    "csv=p=0",
    pathOrUrl,
  ]);
  return parseInt(out.trim().split("\n")[0], 10);
}

/** Kills a helper child (a test server's GStreamer) and waits for it; gone already is fine. */
export async function killChild(child: Deno.ChildProcess | undefined): Promise<void> {
  if (!child) return;
  try {
    child.kill("SIGKILL");
  } catch { /* gone */ }
  await child.status;
}

/**
 * gst-launch-1.0 processes whose arguments mention `text` (e.g. a media root), children of
 * `parent` only when given.
 */
export async function gstProcessesMentioning(text: string, parent?: number): Promise<number[]> {
  const pids: number[] = [];
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const cmd = await Deno.readTextFile(`/proc/${e.name}/cmdline`);
      const stat = await Deno.readTextFile(`/proc/${e.name}/stat`);
      if (/\) Z /.test(stat)) continue; // zombie: already dead
      if (parent !== undefined && Number(stat.split(") ")[1]?.split(" ")[1]) !== parent) continue;
      if (cmd.startsWith("gst-launch-1.0") || cmd.includes("/gst-launch-1.0\0")) {
        if (cmd.includes(text)) pids.push(Number(e.name));
      }
    } catch { /* exited */ }
  }
  return pids;
}

/** The segment URIs of a playlist, resolved against its URL. */
export async function playlistSegments(url: string): Promise<string[]> {
  const text = await (await fetch(url)).text();
  return text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => new URL(l, url).href);
}

/** Waits until a recording's playlist is closed (`#EXT-X-ENDLIST`); returns its text. */
export function closedPlaylist(url: string, timeoutMs = 20_000): Promise<string> {
  return waitFor(
    async () => {
      const text = await (await fetch(url)).text();
      return text.includes("#EXT-X-ENDLIST") ? text : undefined;
    },
    `${url} to close`,
    timeoutMs,
  );
}
