/**
 * The opening most end-to-end tests share: the test RTSP server, the recorder as a real
 * process, one or more cameras added through the API, and a wait until each has its
 * first segments. `startRecording()` returns the parts and one `stop()` for all of them;
 * `withRecordingCamera()` runs a test body between the two.
 */
import { assert } from "./assert.ts";
import { Nvr, type NvrOptions, RtspServer, type RtspServerOptions, waitFor } from "./harness.ts";

/** A camera to add: the API's body, where `mount` (default h264) names the RTSP mount. */
export interface CameraSpec {
  seq?: number;
  gid?: number;
  name?: string;
  /** The source; by default the test RTSP server's `mount`. */
  iaddr?: string;
  protocol?: string;
  isRec?: 0 | 1;
  mount?: string;
  /** Credentials for the RTSP URL (`user:password`, URL-encoded). */
  credentials?: string;
}

export interface RecordingOptions {
  /** The test RTSP server's options; false for none (test://, file:// or other sources). */
  rtsp?: RtspServerOptions | false;
  nvr?: NvrOptions;
  /** The cameras to add (default: one, gid 1 seq 1, recording, from the h264 mount). */
  cameras?: CameraSpec[];
  /** Segments each camera must have before the test goes on (default 1; 0: no wait). */
  segments?: number;
  timeoutMs?: number;
  /** Runs before the recorder starts (e.g. to plant files in its media root). */
  beforeStart?: (nvr: Nvr, rtsp: RtspServer) => Promise<void> | void;
}

/** The API body of a camera, as added. */
export interface AddedCamera {
  seq: number;
  gid: number;
  name: string;
  iaddr: string;
  protocol: string;
  isRec: 0 | 1;
}

export interface RecordingCamera {
  rtsp: RtspServer;
  /** The recorder (replaced by restart()). */
  nvr: Nvr;
  /** The first camera added. */
  camera: AddedCamera;
  cameras: AddedCamera[];
  /** GET /api/camera/seq/{seq}/gid/{gid} of a camera (default: the first). */
  // deno-lint-ignore no-explicit-any -- tests read whatever JSON the API answers
  status(camera?: { gid: number; seq: number }): Promise<any>;
  /** Waits until a camera (default: the first) has at least `n` segments; its status. */
  // deno-lint-ignore no-explicit-any -- as status()
  segments(n: number, camera?: { gid: number; seq: number }, timeoutMs?: number): Promise<any>;
  /** Stops the recorder (SIGTERM, or `signal`) and starts a new one on the same folders. */
  restart(options?: NvrOptions, signal?: Deno.Signal): Promise<Nvr>;
  /** Stops the recorder, then the RTSP server. */
  stop(): Promise<void>;
}

export async function startRecording(o: RecordingOptions = {}): Promise<RecordingCamera> {
  const rtsp = new RtspServer(o.rtsp === false ? {} : o.rtsp);
  if (o.rtsp !== false) await rtsp.start();
  let nvr: Nvr | undefined;
  try {
    nvr = new Nvr({ segmentSeconds: 1, ...o.nvr });
    await o.beforeStart?.(nvr, rtsp);
    await nvr.start();
    const cameras: AddedCamera[] = [];
    for (const spec of o.cameras ?? [{}]) {
      const { mount, credentials, ...rest } = spec;
      const camera: AddedCamera = {
        seq: 1,
        gid: 1,
        name: `cam ${spec.gid ?? 1}/${spec.seq ?? 1}`,
        iaddr: rtsp.url(mount ?? "h264", credentials),
        protocol: "rtsp",
        isRec: 1,
        ...rest,
      };
      const r = await nvr.api("POST", "/api/camera", camera);
      assert(r.status === 201, `adding ${camera.gid}/${camera.seq}: ${JSON.stringify(r.json)}`);
      cameras.push(camera);
    }
    const rc: RecordingCamera = {
      rtsp,
      nvr,
      camera: cameras[0],
      cameras,
      async status(c = cameras[0]) {
        return (await rc.nvr.api("GET", `/api/camera/seq/${c.seq}/gid/${c.gid}`)).json;
      },
      async segments(n, c = cameras[0], timeoutMs = o.timeoutMs ?? 30_000) {
        try {
          return await waitFor(
            async () => {
              const s = await rc.status(c);
              return s.segments >= n ? s : undefined;
            },
            `${n} segments of camera ${c.gid}/${c.seq}`,
            timeoutMs,
          );
        } catch (err) {
          const s = await rc.status(c).catch(() => undefined);
          throw new Error(`${(err as Error).message}: ${JSON.stringify(s)}`);
        }
      },
      async restart(options = {}, signal) {
        const old = rc.nvr;
        await old.stop(signal);
        rc.nvr = await new Nvr({
          ...old.options,
          ...options,
          mediaRoot: old.mediaRoot,
          dataDir: old.dataDir,
        }).start();
        return rc.nvr;
      },
      async stop() {
        try {
          await rc.nvr.stop();
        } finally {
          await rtsp.stop();
        }
      },
    };
    const n = o.segments ?? 1;
    if (n > 0) { for (const c of cameras) await rc.segments(n, c); }
    return rc;
  } catch (err) {
    await nvr?.stop().catch(() => {});
    await rtsp.stop();
    throw err;
  }
}

/** Runs `fn` with a recording camera (see startRecording), stopping everything after it. */
export async function withRecordingCamera(
  o: RecordingOptions,
  fn: (rc: RecordingCamera) => Promise<void>,
): Promise<void> {
  const rc = await startRecording(o);
  try {
    await fn(rc);
  } finally {
    await rc.stop();
  }
}
