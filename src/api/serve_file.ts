/** Serves one file with the right MIME type, HEAD, and single byte ranges, streamed. */

const MIME: Record<string, string> = {
  ".m3u8": "application/vnd.apple.mpegurl",
  ".ts": "video/mp2t",
  ".mp4": "video/mp4",
  ".jpg": "image/jpeg",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

export function mimeType(path: string): string {
  const dot = path.lastIndexOf(".");
  return MIME[path.slice(dot)] ?? "application/octet-stream";
}

/** Parses `bytes=a-b` / `bytes=a-` / `bytes=-n` against a size; null when unsatisfiable. */
export function parseRange(header: string, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start: number, end: number;
  if (m[1] === "") {
    const n = Number(m[2]);
    if (n === 0) return null;
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return null;
  return { start, end };
}

/**
 * Serves a file that lies inside the served root (see FolderConfinement). The body is
 * streamed from the file, never read whole: a GET costs one open, one fstat, and reads
 * of the size the runtime picks as the client takes the bytes.
 */
export async function serveFile(
  req: Request,
  path: string,
  cacheControl: string,
): Promise<Response> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    // Gone since it was checked (cleaned meanwhile); anything else (not readable) is a fault.
    if (err instanceof Deno.errors.NotFound) {
      return Response.json({ status: 0, error: "not found" }, { status: 404 });
    }
    throw err;
  }
  let handedOver = false;
  try {
    const { size, isFile } = await file.stat();
    if (!isFile) return Response.json({ status: 0, error: "not found" }, { status: 404 });
    const headers = new Headers({
      "content-type": mimeType(path),
      "accept-ranges": "bytes",
      "cache-control": cacheControl,
    });
    const rangeHeader = req.headers.get("range");
    let start = 0, end = size - 1, status = 200;
    if (rangeHeader) {
      const range = parseRange(rangeHeader, size);
      if (!range) {
        headers.set("content-range", `bytes */${size}`);
        return new Response(null, { status: 416, headers });
      }
      ({ start, end } = range);
      status = 206;
      headers.set("content-range", `bytes ${start}-${end}/${size}`);
    }
    const length = size === 0 ? 0 : end - start + 1;
    headers.set("content-length", String(length));
    if (req.method === "HEAD" || length === 0) return new Response(null, { status, headers });
    if (start > 0) await file.seek(start, Deno.SeekMode.Start);
    // The whole rest of the file: the runtime's own file stream (it closes the file).
    // Otherwise a stream of exactly `length` bytes.
    const body = end === size - 1 ? file.readable : slice(file, length);
    handedOver = true;
    return new Response(body, { status, headers });
  } finally {
    if (!handedOver) file.close();
  }
}

/** `length` bytes from the file's position, then the file is closed (also on cancel). */
function slice(file: Deno.FsFile, length: number): ReadableStream<Uint8Array> {
  let left = length;
  const done = () => {
    try {
      file.close();
    } catch (err) {
      if (!(err instanceof Deno.errors.BadResource)) throw err; // else: closed already
    }
  };
  return new ReadableStream({
    type: "bytes",
    async pull(controller) {
      const chunk = new Uint8Array(Math.min(left, 64 * 1024));
      const n = await file.read(chunk);
      if (n === null || n === 0) {
        done();
        controller.close();
        return;
      }
      controller.enqueue(chunk.subarray(0, n));
      left -= n;
      if (left <= 0) {
        done();
        controller.close();
      }
    },
    cancel: done,
  });
}

/**
 * Keeps served files inside a root, resolving symlinks once per folder rather than on
 * every request (a realpath walks and lstats every component): a folder's real path is
 * cached with its inode, and a request costs one lstat of the folder (still the same
 * folder, not a symlink?) and one of the file (not a symlink?). A folder replaced by
 * anything else has another inode, and is resolved again.
 */
export class FolderConfinement {
  #realRoot?: string;
  #folders = new Map<string, { real: string | undefined; dev: number; ino: number | null }>();

  constructor(readonly root: string, readonly max = 4096) {}

  /** The file's real path when it is a regular file (not a symlink) inside the root. */
  async check(path: string): Promise<string | undefined> {
    this.#realRoot ??= await Deno.realPath(this.root);
    const slash = path.lastIndexOf("/");
    const realFolder = await this.#folder(path.slice(0, slash));
    if (realFolder === undefined) return undefined;
    try {
      if (!(await Deno.lstat(path)).isFile) return undefined;
    } catch {
      return undefined; // see #folder: what cannot be examined is not served
    }
    return `${realFolder}/${path.slice(slash + 1)}`;
  }

  async #folder(folder: string): Promise<string | undefined> {
    let st: Deno.FileInfo;
    try {
      st = await Deno.lstat(folder);
    } catch {
      // Swallows everything on purpose: a path that cannot be examined (missing, through a
      // file, not permitted, a loop) is not served; hostile paths end here as a 404.
      this.#folders.delete(folder);
      return undefined;
    }
    const hit = this.#folders.get(folder);
    if (hit && st.isDirectory && hit.ino === st.ino && hit.dev === st.dev) return hit.real;
    let real: string | undefined;
    try {
      const r = await Deno.realPath(folder);
      const root = this.#realRoot!;
      real = r === root || r.startsWith(root + "/") ? r : undefined;
    } catch {
      return undefined; // as above: not resolvable, not served
    }
    if (!st.isDirectory) return real; // a symlink to a folder: resolved each time
    if (this.#folders.size >= this.max) {
      this.#folders.delete(this.#folders.keys().next().value!);
    }
    this.#folders.set(folder, { real, dev: st.dev, ino: st.ino });
    return real;
  }
}
