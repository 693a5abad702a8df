/**
 * Camera source addresses (`iaddr`): validation, credential handling and masking.
 *
 * Everything that reaches a gst-launch argv must be one property value, never
 * pipeline syntax; values are double-quoted in argv, so a quote, a backslash,
 * whitespace or a control character is refused here.
 */

export type SourceKind = "rtsp" | "test" | "file";

export interface Source {
  kind: SourceKind;
  /**
   * Location without credentials (rtsp), the test pattern name (test), or the file's
   * path relative to the configured file folder (file; resolved and confined at run time).
   */
  location: string;
  user?: string;
  password?: string;
}

/** Patterns of GStreamer's videotestsrc a `test://` source may name. */
export const TEST_PATTERNS = [
  "smpte",
  "ball",
  "snow",
  "black",
  "white",
  "gamut",
  "bar",
  "pinwheel",
];

// deno-lint-ignore no-control-regex -- control characters are what is refused
const FORBIDDEN = /[\s"\\\u0000-\u001f\u007f]/;
/** Credentials are quoted property values of their own: spaces are fine there. */
// deno-lint-ignore no-control-regex -- control characters are what is refused
const FORBIDDEN_IN_CREDENTIALS = /["\\\u0000-\u001f\u007f]/;

export class SourceError extends Error {}

/** Parses and validates an iaddr; throws SourceError with a user-facing message. */
export function parseSource(iaddr: string): Source {
  if (iaddr.length > 2048) throw new SourceError("iaddr is longer than 2048 characters");
  if (FORBIDDEN.test(iaddr)) {
    throw new SourceError(
      "iaddr must not contain whitespace, quotes, backslashes or control characters",
    );
  }
  let url: URL;
  try {
    url = new URL(iaddr);
  } catch {
    throw new SourceError("iaddr is not a valid URL");
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (scheme === "test") {
    const pattern = url.hostname || "smpte";
    if (!TEST_PATTERNS.includes(pattern)) {
      throw new SourceError(`test:// pattern must be one of ${TEST_PATTERNS.join(", ")}`);
    }
    return { kind: "test", location: pattern };
  }
  if (scheme === "file") {
    // URL parsing resolves `..`: refuse it (and its encodings) in the text as given.
    if (/\/\.\.?(\/|$)|%2e|%2f|%5c/i.test(iaddr)) {
      throw new SourceError("file:// path must not contain . or .. parts or encoded separators");
    }
    return { kind: "file", location: fileLocation(url) };
  }
  if (scheme !== "rtsp" && scheme !== "rtsps") {
    throw new SourceError(
      `iaddr scheme "${scheme}:" is not supported (use rtsp://, rtsps://, file:// or test://)`,
    );
  }
  if (!url.hostname) throw new SourceError("iaddr has no host");
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new SourceError("iaddr credentials are not valid percent-encoding");
    }
  };
  const user = url.username ? decode(url.username) : undefined;
  const password = url.password ? decode(url.password) : undefined;
  for (const part of [user, password]) {
    if (part !== undefined && FORBIDDEN_IN_CREDENTIALS.test(part)) {
      throw new SourceError(
        "iaddr credentials must not contain quotes, backslashes or control characters",
      );
    }
  }
  url.username = "";
  url.password = "";
  const location = url.href;
  if (FORBIDDEN.test(location)) {
    throw new SourceError("iaddr contains characters that cannot be used");
  }
  return { kind: "rtsp", location, user, password };
}

/** Containers a `file://` source may name (by extension). */
export const FILE_EXTENSIONS = ["mp4", "mov", "mkv", "ts"];

/**
 * `file:///clips/door.mp4` → `clips/door.mp4`: a path inside the configured file folder
 * (`--file-root`). Plain names only: no host, no `.`/`..`, no query.
 */
function fileLocation(url: URL): string {
  if (url.host || url.search || url.hash || url.username) {
    throw new SourceError("file:// iaddr must be file:///path/inside/the/file/folder");
  }
  const parts = url.pathname.split("/").filter((p) => p !== "");
  if (
    parts.length === 0 || parts.length > 8 ||
    !parts.every((p) => /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(p) && !/^\.+$/.test(p))
  ) {
    throw new SourceError("file:// path parts may use letters, digits, . _ - (no . or ..)");
  }
  const ext = parts.at(-1)!.split(".").pop()!.toLowerCase();
  if (!FILE_EXTENSIONS.includes(ext)) {
    throw new SourceError(`file:// source must end in .${FILE_EXTENSIONS.join(", .")}`);
  }
  return parts.join("/");
}

/** The iaddr with its password replaced by `***` (safe to show and log). */
export function maskUrl(iaddr: string): string {
  return maskSecrets(iaddr);
}

const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/"]*):([^\s@/"]*)@/gi;
const PW_PROPERTY = /\b(user-pw=)("[^"]*"|\S+)/g;

/** Masks passwords in any text: URLs with user:password@ and rtspsrc `user-pw=` values. */
export function maskSecrets(text: string): string {
  return text.replace(URL_PASSWORD, "$1:***@").replace(PW_PROPERTY, "$1***");
}

/**
 * An edit that sends back the masked iaddr (`user:***@`, as every response shows it)
 * keeps the stored password.
 */
export function restoreMaskedPassword(iaddr: string, stored: string): string {
  const masked = /^([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*):\*\*\*@/i.exec(iaddr);
  const old = /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:([^\s@/]*)@/i.exec(stored);
  if (!masked || !old) return iaddr;
  return `${masked[1]}:${old[1]}@${iaddr.slice(masked[0].length)}`;
}
