/**
 * Boot: the cameras to start. With a controller configured, its
 * `GET /api/boot/start` list wins (and replaces the local registry); when it is
 * unreachable or answers garbage, the locally persisted registry is used.
 */
import type { Logger } from "../log.ts";
import { contractTimestamp } from "../time.ts";
import type { Camera } from "./camera.ts";
import type { Registry } from "./registry.ts";
import { CameraInput, fieldErrors } from "./schemas.ts";

const FIELDS = Object.keys(CameraInput.shape);

export async function fetchControllerCameras(
  controllerUrl: string,
  log: Logger,
  timeoutMs = 5000,
): Promise<CameraInput[] | undefined> {
  const url = `${controllerUrl}/api/boot/start`;
  let raw: unknown;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    raw = await res.json();
  } catch (err) {
    log.warn("controller unreachable or not JSON; using the local registry", {
      url,
      error: (err as Error).message,
    });
    return undefined;
  }
  if (!Array.isArray(raw)) {
    log.warn("controller answered something other than a camera list; using the local registry", {
      url,
    });
    return undefined;
  }
  const cameras: CameraInput[] = [];
  for (const entry of raw) {
    if (entry === null || typeof entry !== "object") {
      log.warn("controller camera entry is not an object; skipped", { entry: String(entry) });
      continue;
    }
    const extra = Object.keys(entry).filter((k) => !FIELDS.includes(k));
    if (extra.length) log.info("controller camera has extra fields; ignored", { extra });
    const picked = Object.fromEntries(
      FIELDS.map((k) => [k, (entry as Record<string, unknown>)[k]]),
    );
    const parsed = CameraInput.safeParse(picked);
    if (!parsed.success) {
      log.warn("controller camera entry is invalid; skipped", {
        camera: `${picked.gid}/${picked.seq}`,
        errors: fieldErrors(parsed.error),
      });
      continue;
    }
    cameras.push(parsed.data);
  }
  return cameras;
}

/** Loads the registry, then applies the controller's list when there is one. */
export async function loadBootCameras(
  registry: Registry,
  controllerUrl: string | undefined,
  log: Logger,
  now: number,
): Promise<void> {
  const skipped = await registry.load();
  if (skipped.length) log.warn("invalid cameras in the local registry; skipped", { skipped });
  if (!controllerUrl) return;
  const fromController = await fetchControllerCameras(controllerUrl, log);
  if (!fromController) return;
  const stamp = contractTimestamp(now);
  const cameras: Camera[] = fromController.map((c) => {
    const known = registry.get(c.gid, c.seq);
    return { ...c, inserted: known?.inserted ?? stamp, updated: known?.updated ?? stamp };
  });
  await registry.replaceAll(cameras);
  log.info("cameras from controller", { count: cameras.length });
}
