/**
 * Small helpers for gst-launch argv. Every property value is double-quoted: gst-launch
 * joins argv and parses it again, and inside quotes `!`, spaces and `name=` are plain
 * text. Values that could end the quotes (a quote, a backslash, a control character)
 * are refused here (and earlier, by parseSource).
 */

export const quote = (value: string): string => {
  // deno-lint-ignore no-control-regex -- control characters are what is refused
  if (/["\\\u0000-\u001f]/.test(value)) throw new Error("value cannot be quoted safely");
  return `"${value}"`;
};

/** `name="value"` (strings quoted) or `name=42`. */
export const prop = (name: string, value: string | number): string =>
  `${name}=${typeof value === "number" ? value : quote(value)}`;
