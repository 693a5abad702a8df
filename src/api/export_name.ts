/**
 * The file name of an MP4 export. Pure, and imports only time.ts (pure too): the server
 * sends it in Content-Disposition and the browser UI puts it in the link's `download`
 * attribute.
 */
import { localStampCompact } from "../time.ts";

/** A file name safe in Content-Disposition: camera name and local start/end times. */
export function exportFileName(
  name: string | undefined,
  gid: number,
  seq: number,
  from: number,
  to: number,
) {
  const safe = (name ?? "").normalize("NFKD").replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[-.]+|-+$/g, "").slice(0, 60) || `camera-${gid}-${seq}`;
  return `${safe}_${localStampCompact(from)}_${localStampCompact(to).slice(9)}.mp4`;
}
