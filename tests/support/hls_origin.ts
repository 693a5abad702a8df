/**
 * A real live HLS origin for tests: a `gst-launch-1.0` child encodes a test picture
 * (H.264 or H.265, optionally with AAC audio) into MPEG-TS fragments with hlssink2 in a temporary
 * folder, and a small static HTTP server (Deno.serve) serves that folder, with optional
 * Basic authentication on every request (playlist and fragments).
 */
import { join } from "node:path";
import { freePort, killChild, waitFor } from "./harness.ts";

export interface HlsOriginOptions {
  /** Frames per second (default 10); one keyframe per second. */
  fps?: number;
  /** Seconds per fragment (default 1). */
  fragmentSeconds?: number;
  /** Video codec (default h264). */
  codec?: "h264" | "h265";
  /** Add an AAC audio track (default true: most relays carry one). */
  audio?: boolean;
  user?: string;
  password?: string;
}

const TYPES: Record<string, string> = {
  m3u8: "application/vnd.apple.mpegurl",
  ts: "video/mp2t",
};

export class HlsOrigin {
  readonly port = freePort();
  readonly dir = Deno.makeTempDirSync({ prefix: "nvr-hls-origin-" });
  /** Every request seen: its path and its Authorization header. */
  readonly requests: { path: string; authorization: string | null }[] = [];
  #gst?: Deno.ChildProcess;
  #server?: Deno.HttpServer;

  constructor(readonly options: HlsOriginOptions = {}) {}

  /** `http://[credentials@]127.0.0.1:port/live.m3u8`. */
  url(credentials?: string): string {
    return `http://${credentials ? credentials + "@" : ""}127.0.0.1:${this.port}/live.m3u8`;
  }

  async start(): Promise<this> {
    const o = this.options;
    const fps = o.fps ?? 10;
    const audio = (o.audio ?? true)
      ? [
        "audiotestsrc",
        "is-live=true",
        "wave=sine",
        "!",
        "voaacenc",
        "!",
        "aacparse",
        "!",
        "hls.audio",
      ]
      : [];
    this.#gst = new Deno.Command("gst-launch-1.0", {
      args: [
        "-q",
        "-e",
        "videotestsrc",
        "is-live=true",
        "pattern=ball",
        "!",
        `video/x-raw,width=320,height=240,framerate=${fps}/1`,
        "!",
        o.codec === "h265" ? "x265enc" : "x264enc",
        "tune=zerolatency",
        "speed-preset=ultrafast",
        `key-int-max=${fps}`,
        "!",
        o.codec === "h265" ? "h265parse" : "h264parse",
        "!",
        "hls.video",
        ...audio,
        "hlssink2",
        "name=hls",
        `target-duration=${o.fragmentSeconds ?? 1}`,
        "playlist-length=5",
        "max-files=10",
        `location=${join(this.dir, "seg%05d.ts")}`,
        `playlist-location=${join(this.dir, "live.m3u8")}`,
      ],
      stdout: "null",
      stderr: "inherit",
    }).spawn();
    await waitFor(async () => {
      const text = await Deno.readTextFile(join(this.dir, "live.m3u8"));
      return (text.match(/^#EXTINF/gm) ?? []).length >= 3;
    }, "the HLS origin's first fragments");
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: this.port, onListen: () => {} },
      (req) => this.#handle(req),
    );
    return this;
  }

  async stop(): Promise<void> {
    await this.#server?.shutdown();
    this.#server = undefined;
    await killChild(this.#gst);
    this.#gst = undefined;
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }

  async #handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const authorization = req.headers.get("authorization");
    this.requests.push({ path: url.pathname, authorization });
    const { user, password = "" } = this.options;
    if (user !== undefined && authorization !== `Basic ${btoa(`${user}:${password}`)}`) {
      return new Response("unauthorized", {
        status: 401,
        headers: { "www-authenticate": 'Basic realm="hls"' },
      });
    }
    const name = url.pathname.slice(1);
    if (!/^[a-z0-9]+\.(m3u8|ts)$/.test(name)) return new Response("no", { status: 404 });
    try {
      const body = await Deno.readFile(join(this.dir, name));
      return new Response(body, {
        headers: { "content-type": TYPES[name.split(".").pop()!], "cache-control": "no-cache" },
      });
    } catch {
      return new Response("no", { status: 404 });
    }
  }
}
