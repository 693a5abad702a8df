/**
 * The whole recorder in-process (createRecorder: routes, service, operations) with
 * scripted gst-launch children and a fake clock: route and boot tests in milliseconds.
 */
import { join } from "node:path";
import { loadConfig } from "../../src/config/config.ts";
import { createLogger } from "../../src/log.ts";
import { createRecorder } from "../../src/server.ts";
import { FakeClock } from "./fake_clock.ts";
import { ScriptedGst } from "./scripted_gst.ts";

export interface ScriptedChild extends ScriptedGst {
  exited: boolean;
}

export function scriptedNvr(
  opts: { args?: string[]; start?: number; onSpawn?: (child: ScriptedChild) => void } = {},
) {
  const root = Deno.makeTempDirSync();
  const mediaRoot = join(root, "media");
  const dataDir = join(root, "data");
  const config = loadConfig(
    [`--media-root=${mediaRoot}`, `--data-dir=${dataDir}`, "--demo=off", ...(opts.args ?? [])],
    {},
  );
  const clock = new FakeClock(opts.start);
  const children: ScriptedChild[] = [];
  const logs: string[] = [];
  const nvr = createRecorder(config, {
    log: createLogger("json", {}, (line) => logs.push(line), "debug"),
    clock,
    spawn: (_cmd, args) => {
      const child = new ScriptedGst(args) as ScriptedChild;
      child.exited = false;
      child.status.then(() => child.exited = true);
      children.push(child);
      opts.onSpawn?.(child);
      return child;
    },
  });
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await nvr.app.request(path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  /** Children still running (not exited). */
  const running = () => children.filter((c) => !c.exited);
  const cleanup = async () => {
    await nvr.shutdown();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  };
  return { nvr, config, clock, children, running, logs, api, root, mediaRoot, dataDir, cleanup };
}

export const cameraBody = (seq: number, gid = 1, iaddr = `rtsp://127.0.0.1:9/cam${seq}`) => ({
  seq,
  gid,
  name: `cam ${gid}/${seq}`,
  iaddr,
  protocol: "rtsp",
  isRec: 1,
});
