/** The camera list, refreshed by polling the REST API (state, errors, new cameras). */
import { useEffect, useRef, useState } from "preact/hooks";
import type { CameraJson } from "./types.ts";

export async function fetchCameras(): Promise<CameraJson[]> {
  const res = await fetch("/api/camera", { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`camera list: HTTP ${res.status}`);
  return await res.json();
}

/** The cameras, and a function that reloads them now. */
export function useCameras(
  initial: CameraJson[],
  everyMs: number,
): [CameraJson[], () => Promise<void>] {
  const [cams, setCams] = useState(initial);
  const reload = useRef(async () => {});
  useEffect(() => {
    let alive = true;
    const load = reload.current = () =>
      fetchCameras().then((c) => {
        if (!alive) return;
        // Keep the same array when nothing changed, so tiles do not re-render.
        setCams((old) => JSON.stringify(old) === JSON.stringify(c) ? old : c);
      }).catch((err) => console.warn("camera list not refreshed:", err)); // next poll retries
    const id = setInterval(() => !document.hidden && load(), everyMs);
    load();
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, [everyMs]);
  return [cams, () => reload.current()];
}
