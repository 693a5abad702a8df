/** Download a span of recording as one MP4 (remuxed on the server, no re-encoding). */
import { useState } from "preact/hooks";
import { clock } from "./format.ts";
import type { CameraJson } from "./types.ts";

const MAX_MS = 2 * 3_600_000;

/** Epoch ms of `HH:MM[:SS]` on the local day of `ref`. */
export function timeOn(ref: number, hms: string): number | undefined {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(hms);
  if (!m) return undefined;
  const d = new Date(ref);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), +m[1], +m[2], +(m[3] ?? 0))
    .getTime();
}

export function ClipExport({ camera, at }: { camera: CameraJson; at?: number }) {
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const ref = at ?? Date.now();
  const a = timeOn(ref, from || (at ? clock(at) : "")), b = timeOn(ref, to);
  const end = b ?? (a === undefined ? undefined : a + 60_000);
  const problem = a === undefined
    ? "Pick a start time (or play a recording)."
    : end! <= a
    ? "End must be after start."
    : end! - a > MAX_MS
    ? "A clip can be at most 2 hours."
    : undefined;
  const href = problem
    ? undefined
    : `/api/export/gid/${camera.gid}/seq/${camera.seq}/span.mp4?from=${a}&to=${end}&name=${
      encodeURIComponent(camera.name)
    }`;
  return (
    <form class="clip" onSubmit={(e) => e.preventDefault()}>
      <h2>Download clip</h2>
      <div class="clip-row">
        <label>
          From
          <input
            type="time"
            step={1}
            value={from || (at ? clock(at) : "")}
            onInput={(e) => setFrom((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          To
          <input
            type="time"
            step={1}
            value={to || (end ? clock(end) : "")}
            onInput={(e) => setTo((e.target as HTMLInputElement).value)}
          />
        </label>
      </div>
      {problem ? <p class="muted">{problem}</p> : (
        <a class="button primary" href={href} download>
          Download MP4
        </a>
      )}
    </form>
  );
}
