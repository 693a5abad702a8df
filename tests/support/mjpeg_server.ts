/**
 * A real MJPEG camera for tests: an HTTP server (Deno.serve) that streams
 * `multipart/x-mixed-replace` JPEG frames made by a real `gst-launch-1.0` child
 * (`videotestsrc ! jpegenc ! multipartmux`), to every client from a part boundary,
 * with optional Basic or Digest authentication.
 */
import { createHash, randomUUID } from "node:crypto";
import { freePort, killChild } from "./harness.ts";

export interface MjpegServerOptions {
  /** Frames per second (default 5). */
  fps?: number;
  /** Picture size, `WxH` (default 320x240). */
  size?: string;
  /** Raw format given to jpegenc: `I420` makes 4:2:0 JPEGs (default), `Y42B` 4:2:2 ones. */
  format?: "I420" | "Y42B";
  user?: string;
  password?: string;
  /** Ask for Digest authentication instead of Basic. */
  digest?: boolean;
}

const BOUNDARY = "frame";
const REALM = "test camera";
const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** Where a complete multipart part ends in `buf` (header, body, CRLF), or -1. */
function partEnd(buf: Uint8Array): number {
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) {
      const header = new TextDecoder().decode(buf.subarray(0, i));
      const length = /content-length:\s*(\d+)/i.exec(header);
      if (!length) throw new Error(`multipart part without Content-Length: ${header}`);
      const end = i + 4 + Number(length[1]) + 2;
      return end <= buf.length ? end : -1;
    }
  }
  return -1;
}

export class MjpegServer {
  readonly port = freePort();
  /** Every request seen: its path and query, and its Authorization header. */
  readonly requests: { path: string; authorization: string | null }[] = [];
  /** Frames produced so far. */
  frames = 0;
  #gst?: Deno.ChildProcess;
  #server?: Deno.HttpServer;
  #clients = new Set<ReadableStreamDefaultController<Uint8Array>>();
  #nonce = randomUUID();

  constructor(readonly options: MjpegServerOptions = {}) {}

  /** `http://[credentials@]127.0.0.1:port{path}`. */
  url(path = "/video.mjpg", credentials?: string): string {
    return `http://${credentials ? credentials + "@" : ""}127.0.0.1:${this.port}${path}`;
  }

  async start(): Promise<this> {
    const o = this.options;
    const [w, h] = (o.size ?? "320x240").split("x");
    this.#gst = new Deno.Command("gst-launch-1.0", {
      args: [
        "-q",
        "videotestsrc",
        "is-live=true",
        "pattern=ball",
        "!",
        `video/x-raw,format=${o.format ?? "I420"},width=${w},height=${h},framerate=${o.fps ?? 5}/1`,
        "!",
        "jpegenc",
        "quality=60",
        "!",
        "multipartmux",
        `boundary=${BOUNDARY}`,
        "!",
        "fdsink",
        "fd=1",
      ],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const firstFrame = Promise.withResolvers<void>();
    this.#pump(this.#gst.stdout, firstFrame.resolve).catch(firstFrame.reject);
    await firstFrame.promise;
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: this.port, onListen: () => {} },
      (req) => this.#handle(req),
    );
    return this;
  }

  async stop(): Promise<void> {
    for (const c of this.#clients) {
      try {
        c.close();
      } catch { /* already closed */ }
    }
    this.#clients.clear();
    await this.#server?.shutdown();
    this.#server = undefined;
    await killChild(this.#gst);
    this.#gst = undefined;
  }

  /** Cuts the child's output into whole parts and sends each to every client. */
  async #pump(stream: ReadableStream<Uint8Array>, onFirst: () => void): Promise<void> {
    let buf = new Uint8Array(0);
    for await (const chunk of stream) {
      const joined = new Uint8Array(buf.length + chunk.length);
      joined.set(buf);
      joined.set(chunk, buf.length);
      buf = joined;
      for (let end = partEnd(buf); end > 0; end = partEnd(buf)) {
        const part = buf.slice(0, end);
        buf = buf.slice(end);
        if (this.frames++ === 0) onFirst();
        for (const c of this.#clients) {
          try {
            c.enqueue(part);
          } catch {
            this.#clients.delete(c);
          }
        }
      }
    }
  }

  #handle(req: Request): Response {
    const url = new URL(req.url);
    const authorization = req.headers.get("authorization");
    this.requests.push({ path: url.pathname + url.search, authorization });
    if (!this.#authorized(req.method, authorization)) {
      const challenge = this.options.digest
        ? `Digest realm="${REALM}", qop="auth", nonce="${this.#nonce}", algorithm=MD5`
        : `Basic realm="${REALM}"`;
      return new Response("unauthorized", {
        status: 401,
        headers: { "www-authenticate": challenge },
      });
    }
    let self: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        self = c;
        this.#clients.add(c);
      },
      cancel: () => {
        this.#clients.delete(self);
      },
    });
    return new Response(body, {
      headers: {
        "content-type": `multipart/x-mixed-replace; boundary=${BOUNDARY}`,
        "cache-control": "no-cache",
      },
    });
  }

  #authorized(method: string, header: string | null): boolean {
    const { user, password = "", digest } = this.options;
    if (user === undefined) return true;
    if (!header) return false;
    if (!digest) {
      const bytes = new TextEncoder().encode(`${user}:${password}`);
      return header === `Basic ${btoa(String.fromCharCode(...bytes))}`;
    }
    if (!header.startsWith("Digest ")) return false;
    const p: Record<string, string> = {};
    for (const m of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g)) {
      p[m[1]] = m[2] ?? m[3];
    }
    if (p.username !== user || p.nonce !== this.#nonce || p.realm !== REALM) return false;
    const ha1 = md5(`${user}:${REALM}:${password}`);
    const ha2 = md5(`${method}:${p.uri}`);
    const expected = p.qop
      ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`)
      : md5(`${ha1}:${p.nonce}:${ha2}`);
    return p.response === expected;
  }
}
