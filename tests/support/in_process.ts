/**
 * The recorder in-process, shaped like the harness's `Nvr` (`base`, `api()`, `fetch()`,
 * `stop()`): the real Hono app answered through `app.request()`, scripted gst-launch
 * children instead of GStreamer (tests/support/scripted_gst.ts) and a fake clock.
 * For route-level tests (API shapes, validation, hostile bodies): milliseconds each,
 * no process, no port. What needs real media, real children or the shipped
 * permissions stays end-to-end with `Nvr`.
 */
import { join } from "node:path";
import { loadConfig } from "../../src/config/config.ts";
import { createLogger } from "../../src/log.ts";
import { createNvr, type Nvr } from "../../src/server.ts";
import { type ApiAnswer, apiCall } from "./api_call.ts";
import { FakeClock } from "./fake_clock.ts";
import { ScriptedGst } from "./scripted_gst.ts";

export class InProcessNvr {
  /** The origin requests are made against (URLs in answers start with it; no port is opened). */
  readonly base = "http://127.0.0.1:8000";
  readonly root = Deno.makeTempDirSync({ prefix: "nvr-inproc-" });
  readonly mediaRoot = join(this.root, "media");
  readonly dataDir = join(this.root, "data");
  readonly clock: FakeClock;
  readonly children: ScriptedGst[] = [];
  readonly logs: string[] = [];
  readonly recorder: Nvr;

  constructor(
    readonly options: {
      args?: string[];
      authorization?: string;
      start?: number;
      /** Sees each child as it is spawned (e.g. to make it fail at once). */
      onSpawn?: (child: ScriptedGst) => void;
    } = {},
  ) {
    const config = loadConfig([
      `--media-root=${this.mediaRoot}`,
      `--data-dir=${this.dataDir}`,
      "--demo=off",
      ...(options.args ?? []),
    ], {});
    this.clock = new FakeClock(options.start);
    this.recorder = createNvr(config, {
      log: createLogger("json", {}, (line) => this.logs.push(line)),
      clock: this.clock,
      reachable: () => Promise.resolve(true), // no network: backoff only
      spawn: (_cmd, args) => {
        const child = new ScriptedGst(args);
        this.children.push(child);
        options.onSpawn?.(child);
        return child;
      },
    });
  }

  async start(): Promise<this> {
    await this.recorder.start();
    return this;
  }

  /** A request to the app, as `fetch` would make it to a running server. */
  fetch(path: string, init?: RequestInit): Promise<Response> {
    return Promise.resolve(this.recorder.app.request(new Request(this.base + path, init)));
  }

  /** Same contract as `Nvr.api`: the status and the parsed JSON (or the text). */
  api(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    return apiCall(
      (p, init) => this.fetch(p, init),
      method,
      path,
      body,
      this.options.authorization,
    );
  }

  /** Adds camera 1/1 (not recording) at an address where nothing answers, unless overridden. */
  addCamera(fields: Record<string, unknown> = {}): Promise<ApiAnswer> {
    return this.api("POST", "/api/camera", {
      gid: 1,
      seq: 1,
      name: "c",
      iaddr: "rtsp://127.0.0.1:1/x",
      protocol: "rtsp",
      isRec: 0,
      ...fields,
    });
  }

  async stop(): Promise<void> {
    await this.recorder.shutdown();
    await Deno.remove(this.root, { recursive: true }).catch(() => {});
  }
}
