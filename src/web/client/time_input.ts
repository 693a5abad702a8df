/** Typed times (pure): "14:05:30" on the day shown, or a whole local date and time. */
const p2 = (n: number) => String(n).padStart(2, "0");

/**
 * Epoch ms of `HH:MM[:SS]` on the local day of `ref`, or of `YYYY-MM-DD[T ]HH:MM[:SS]`
 * (local time, as a datetime-local input gives it); undefined when it is neither.
 */
export function parseLocalDateTime(text: string, ref: number): number | undefined {
  const m = /^(?:(\d{4})-(\d{2})-(\d{2})[T ])?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(
    text.trim(),
  );
  if (!m) return undefined;
  const d = new Date(ref);
  const [y, mo, day] = m[1] ? [+m[1], +m[2] - 1, +m[3]] : [
    d.getFullYear(),
    d.getMonth(),
    d.getDate(),
  ];
  const [h, mi, s] = [+m[4], +m[5], +(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 59 || mo > 11 || day < 1 || day > 31) return undefined;
  return new Date(y, mo, day, h, mi, s).getTime();
}

/** `YYYY-MM-DDTHH:MM:SS` in local time (a datetime-local input's value). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${
    p2(d.getMinutes())
  }:${p2(d.getSeconds())}`;
}

/** True when a key press goes to a text field (shortcuts must leave it alone). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el?.tagName) return false;
  return el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
    (el.tagName === "INPUT" && !["checkbox", "radio", "button"].includes(
      (el as HTMLInputElement).type,
    ));
}
