/** Download a span of recording as one MP4 (remuxed on the server, no re-encoding). */
import { useState } from "preact/hooks";
import { exportFileName } from "../../api/export_name.ts";
import { clock } from "./format.ts";
import { labelled, labelOf } from "./field_labels.ts";
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

/** The server's reason for a failed export: `HTTP 404: no recording in this span`. */
export async function exportError(res: Response): Promise<string> {
  let reason = res.statusText;
  try {
    const body = await res.json();
    if (typeof body?.error === "string") {
      reason = body.error;
      const fields = Array.isArray(body.fields) ? body.fields : [];
      const details = fields.map((f: { field: string; message: string }) =>
        `${labelOf(f.field)}: ${labelled(f.message)}`
      );
      if (details.length) reason += ` (${details.join("; ")})`;
    }
  } catch { /* not JSON: keep the status text */ }
  return `Export failed: HTTP ${res.status}${reason ? `: ${reason}` : ""}`;
}

/** The file name the server gives in Content-Disposition, if any. */
function dispositionName(res: Response): string | undefined {
  return /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1];
}

/**
 * Fetches the export, then saves it under its name; a failed export shows the server's
 * status and message (a plain link would save the JSON error as a file).
 */
async function download(href: string, name: string): Promise<string | undefined> {
  const res = await fetch(href);
  if (!res.ok) return await exportError(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = dispositionName(res) ?? name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return undefined;
}

/**
 * `at`: the frame playing, if any; `day`: any instant of the day shown (the times typed
 * are on that day, not on today's date).
 */
export function ClipExport(
  { camera, at, day }: { camera: CameraJson; at?: number; day?: number },
) {
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const ref = at ?? day ?? Date.now();
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
  const name = problem ? "" : exportFileName(camera.name, camera.gid, camera.seq, a!, end!);
  const onClick = async (e: MouseEvent) => {
    e.preventDefault();
    if (!href || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      setError(await download(href, name));
    } catch (err) {
      setError(`Export failed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
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
            onInput={(e) => {
              setFrom((e.target as HTMLInputElement).value);
              setError(undefined);
            }}
          />
        </label>
        <label>
          To
          <input
            type="time"
            step={1}
            value={to || (end ? clock(end) : "")}
            onInput={(e) => {
              setTo((e.target as HTMLInputElement).value);
              setError(undefined);
            }}
          />
        </label>
      </div>
      {problem ? <p class="muted">{problem}</p> : (
        <a
          class="button primary"
          href={href}
          download={name}
          aria-busy={busy}
          onClick={onClick}
        >
          {busy ? "Preparing MP4…" : "Download MP4"}
        </a>
      )}
      {error && <p class="error clip-error" role="alert">{error}</p>}
    </form>
  );
}
