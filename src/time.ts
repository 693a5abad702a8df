/**
 * Local-time formatting used by the API contract, the storage layout, file names and the
 * browser UI (pure, no imports: the client bundle uses it too).
 */

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** `YYYY-MM-DD` in local time. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `HHMMSS` in local time. */
export function localTimeCompact(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** `HH:MM:SS` in local time. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `YYYY-MM-DD HH:MM:SS` in local time (the seed's timestamp format). */
export function contractTimestamp(ms: number): string {
  return `${localDate(ms)} ${localTime(ms)}`;
}

/** `YYYYMMDD-HHMMSS` in local time (in file and folder names). */
export function localStampCompact(ms: number): string {
  return `${localDate(ms).replaceAll("-", "")}-${localTimeCompact(ms)}`;
}

/** ISO 8601 with the local offset and milliseconds, as `#EXT-X-PROGRAM-DATE-TIME` wants it. */
export function isoWithOffset(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  const abs = Math.abs(off);
  return `${localDate(ms)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${
    pad(d.getMilliseconds(), 3)
  }${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
