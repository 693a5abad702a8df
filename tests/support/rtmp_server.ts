/**
 * A real RTMP server for tests: `ffmpeg -listen 1` serves one client a live test
 * picture (H.264) with AAC audio in FLV, as a camera or a media server would. It
 * serves one client per run, so a new run is started whenever one ends (a client that
 * reconnects finds the server again).
 */
import { freePort, waitFor } from "./harness.ts";

export interface RtmpServerOptions {
  /** Frames per second (default 10); one keyframe per second. */
  fps?: number;
  /** Add an AAC audio track (default true). */
  audio?: boolean;
}

/** True when something listens on 127.0.0.1:port (Linux: /proc/net/tcp, state 0A). */
async function listening(port: number): Promise<boolean> {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const table = await Deno.readTextFile("/proc/net/tcp");
  return table.split("\n").some((l) => {
    const f = l.trim().split(/\s+/);
    return f[1] === `0100007F:${hex}` && f[3] === "0A";
  });
}

export class RtmpServer {
  readonly port = freePort();
  /** ffmpeg runs started (each serves one client). */
  runs = 0;
  #proc?: Deno.ChildProcess;
  #stopped = false;
  #loop?: Promise<void>;

  constructor(readonly options: RtmpServerOptions = {}) {}

  /** `rtmp://127.0.0.1:port/live/cam`. */
  url(): string {
    return `rtmp://127.0.0.1:${this.port}/live/cam`;
  }

  async start(): Promise<this> {
    this.#loop = this.#serve();
    await waitFor(() => listening(this.port), "the RTMP server to listen");
    return this;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    try {
      this.#proc?.kill("SIGKILL");
    } catch { /* gone */ }
    await this.#loop;
  }

  async #serve(): Promise<void> {
    const fps = this.options.fps ?? 10;
    const audio = (this.options.audio ?? true)
      ? ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"]
      : [];
    while (!this.#stopped) {
      this.runs++;
      this.#proc = new Deno.Command("ffmpeg", {
        args: [
          "-hide_banner",
          "-loglevel",
          "error",
          "-re",
          "-f",
          "lavfi",
          "-i",
          `testsrc2=size=320x240:rate=${fps}`,
          ...audio,
          "-c:v",
          "libx264",
          "-preset",
          "ultrafast",
          "-tune",
          "zerolatency",
          "-g",
          String(fps),
          "-pix_fmt",
          "yuv420p",
          ...(audio.length ? ["-c:a", "aac", "-b:a", "32k"] : []),
          "-f",
          "flv",
          "-listen",
          "1",
          this.url(),
        ],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
      await this.#proc.status;
      if (!this.#stopped) await new Promise((r) => setTimeout(r, 100));
    }
  }
}
