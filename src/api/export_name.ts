/**
 * The file name of an MP4 export. Pure and dependency-free: the server sends it in
 * Content-Disposition and the browser UI puts it in the link's `download` attribute.
 */

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
  const t = (ms: number) => {
    const d = new Date(ms);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${
      p(d.getMinutes())
    }${p(d.getSeconds())}`;
  };
  return `${safe}_${t(from)}_${t(to).slice(9)}.mp4`;
}
