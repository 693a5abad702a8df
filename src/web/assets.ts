/**
 * Static UI assets (the client bundle, the stylesheet) read once per change on
 * disk, kept gzipped in memory and served with a content hash as ETag.
 */
import { gzip } from "../util/gzip.ts";

/** The stylesheet every page inlines. */
export const CSS_PATH = new URL("../../static/app.css", import.meta.url).pathname;

export interface Asset {
  body: Uint8Array;
  gzip: Uint8Array;
  etag: string;
  mtime: number;
}

const cache = new Map<string, Asset>();

/** The asset at `path`, re-read when its modification time changes; undefined if absent. */
export async function loadAsset(path: string): Promise<Asset | undefined> {
  let mtime: number;
  try {
    mtime = (await Deno.stat(path)).mtime?.getTime() ?? 0;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined; // not built
    throw err;
  }
  const hit = cache.get(path);
  if (hit && hit.mtime === mtime) return hit;
  const body = await Deno.readFile(path);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", body as BufferSource));
  const etag = `"${[...hash.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
  const asset = { body, gzip: await gzip(body), etag, mtime };
  cache.set(path, asset);
  return asset;
}

/** A response for an asset: 304 on a matching ETag, gzip when accepted. */
export function assetResponse(req: Request, asset: Asset, type: string, cacheControl: string) {
  const headers = new Headers({
    "content-type": type,
    etag: asset.etag,
    "cache-control": cacheControl,
    vary: "accept-encoding",
  });
  if (req.headers.get("if-none-match") === asset.etag) {
    return new Response(null, { status: 304, headers });
  }
  const gz = /\bgzip\b/.test(req.headers.get("accept-encoding") ?? "");
  if (gz) headers.set("content-encoding", "gzip");
  const body = gz ? asset.gzip : asset.body;
  headers.set("content-length", String(body.length));
  return new Response(req.method === "HEAD" ? null : body as BodyInit, { headers });
}
