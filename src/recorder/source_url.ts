/**
 * Camera source addresses (`iaddr`): validation into what a pipeline pulls. Masking is in
 * `util/redact.ts`, the API's masked-password rule in `cameras/masked_password.ts`.
 *
 * | iaddr                                 | kind    | pulled with                          |
 * | ------------------------------------- | ------- | ------------------------------------ |
 * | `rtsp://`, `rtsps://`                 | `rtsp`  | rtspsrc (H.264/H.265, codec learnt)  |
 * | `rtmp://`                             | `rtmp`  | rtmpsrc, FLV (H.264)                 |
 * | `http(s)://host/….m3u8`               | `hls`   | souphttpsrc + hlsdemux (H.264/H.265) |
 * | `http(s)://host/path` (other paths)   | `mjpeg` | souphttpsrc, multipart JPEG, encoded |
 * | `file:///path/in/the/file/folder.mp4` | `file`  | filesrc, confined to `--file-root`   |
 * | `test://{pattern}`                    | `test`  | videotestsrc                         |
 *
 * `rtmps://` is refused: rtmpsrc (librtmp) does not verify the server's certificate
 * (it accepted a self-signed one when tried) and its handshake failed over TLS anyway.
 * `rtmp://` credentials are refused too: rtmpsrc has no property for them.
 *
 * Everything that reaches a gst-launch argv must be one property value, never
 * pipeline syntax; values are double-quoted in argv, so a quote, a backslash,
 * whitespace or a control character is refused here.
 */

export type SourceKind = "rtsp" | "rtmp" | "hls" | "mjpeg" | "test" | "file";

export interface Source {
  kind: SourceKind;
  /**
   * Location without credentials (rtsp, rtmp, hls, mjpeg), the test pattern name (test),
   * or the file's path relative to the configured file folder (file; resolved and
   * confined at run time).
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
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
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
  if (scheme === "rtmps") {
    throw new SourceError(
      "rtmps:// is not supported (GStreamer's rtmpsrc does not verify the server's certificate): " +
        "use rtmp:// on a trusted network, or the camera's rtsps:// or https:// HLS stream",
    );
  }
  const kind = networkKind(scheme, url);
  if (!url.hostname) throw new SourceError("iaddr has no host");
  if (kind === "rtmp" && (url.username || url.password)) {
    throw new SourceError(
      "rtmp:// credentials (user:password@) are not supported (rtmpsrc has no property " +
        "for them): use the stream key your RTMP server expects",
    );
  }
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch (err) {
      if (!(err instanceof URIError)) throw err;
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
  return { kind, location, user, password };
}

/** The kind of a network iaddr: by scheme, and for http(s) by path (`.m3u8`: HLS). */
function networkKind(scheme: string, url: URL): "rtsp" | "rtmp" | "hls" | "mjpeg" {
  if (scheme === "rtsp" || scheme === "rtsps") return "rtsp";
  if (scheme === "rtmp") return "rtmp";
  if (scheme === "http" || scheme === "https") {
    if (url.pathname === "/" && !url.search) {
      throw new SourceError(
        `${scheme}:// source needs the stream's path: …/name.m3u8 (HLS) or the camera's ` +
          "MJPEG path, e.g. /video.mjpg (the root path is not supported: it is usually a web page)",
      );
    }
    return url.pathname.toLowerCase().endsWith(".m3u8") ? "hls" : "mjpeg";
  }
  throw new SourceError(
    `iaddr scheme "${scheme}:" is not supported (use rtsp://, rtsps://, rtmp://, ` +
      "http(s):// for HLS (.m3u8) or MJPEG, file:// or test://)",
  );
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
