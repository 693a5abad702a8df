/** Serves one file with the right MIME type, HEAD, and single byte ranges. */

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

export async function serveFile(
  req: Request,
  path: string,
  cacheControl: string,
): Promise<Response> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return Response.json({ status: 0, error: "not found" }, { status: 404 });
  }
  const { size, isFile } = await file.stat();
  if (!isFile) {
    file.close();
    return Response.json({ status: 0, error: "not found" }, { status: 404 });
  }
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
      file.close();
      headers.set("content-range", `bytes */${size}`);
      return new Response(null, { status: 416, headers });
    }
    ({ start, end } = range);
    status = 206;
    headers.set("content-range", `bytes ${start}-${end}/${size}`);
  }
  const length = size === 0 ? 0 : end - start + 1;
  headers.set("content-length", String(length));
  if (req.method === "HEAD" || length === 0) {
    file.close();
    return new Response(null, { status, headers });
  }
  const body = new Uint8Array(length);
  try {
    await file.seek(start, Deno.SeekMode.Start);
    let read = 0;
    while (read < length) {
      const n = await file.read(body.subarray(read));
      if (n === null) break;
      read += n;
    }
    headers.set("content-length", String(read));
    return new Response(read === length ? body : body.subarray(0, read), { status, headers });
  } finally {
    file.close();
  }
}
