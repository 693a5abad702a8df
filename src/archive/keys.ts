/**
 * Where things lie in the bucket (docs/storage.md, "The archive"):
 *
 *   {prefix}/{node}/{gid}/{seq}/{YYYY-MM-DD}/{HHMMSS}/index.m3u8      a session's manifest (HLS,
 *                                                                    EXT-X-BYTERANGE into bundles)
 *   {prefix}/{node}/{gid}/{seq}/{YYYY-MM-DD}/{HHMMSS}/{startMs}.ts   a bundle: consecutive
 *                                                                    segments concatenated
 *
 * The same names as the local session folder, under the recorder's node id, so the archive
 * plays without the recorder (any S3-aware tool opens a manifest) and any recorder on the same
 * bucket finds the others. Every key built here parses back into its parts. Pure.
 */
import { DATE_RE, ID_RE, TIME_RE } from "../storage/layout.ts";

export const NODE_RE = /^[A-Za-z0-9._-]{1,64}$/;
export const MANIFEST = "index.m3u8";
export const BUNDLE_RE = /^(\d{13})\.ts$/;

export interface SessionRef {
  node: string;
  gid: number;
  seq: number;
  date: string;
  time: string;
}

export interface KeyParts extends SessionRef {
  /** `index.m3u8` or `{startMs}.ts`. */
  file: string;
}

const join = (prefix: string, rest: string) => (prefix ? `${prefix}/${rest}` : rest);

/** `{prefix}/{node}/` (the folder of one recorder; "" prefix: at the bucket's root). */
export const nodePrefix = (prefix: string, node: string) => join(prefix, `${node}/`);

/** The folder of one session, with a trailing slash. */
export const sessionPrefix = (prefix: string, s: SessionRef) =>
  join(prefix, `${s.node}/${s.gid}/${s.seq}/${s.date}/${s.time}/`);

export const manifestKey = (prefix: string, s: SessionRef) => sessionPrefix(prefix, s) + MANIFEST;

/** A bundle's key: named by its first segment's start (a retry of it overwrites the same key). */
export const bundleKey = (prefix: string, s: SessionRef, firstStartMs: number) =>
  sessionPrefix(prefix, s) + `${String(Math.round(firstStartMs)).padStart(13, "0")}.ts`;

/** The parts of a key this layout made; undefined for any other key. */
export function parseKey(prefix: string, key: string): KeyParts | undefined {
  const head = prefix ? `${prefix}/` : "";
  if (!key.startsWith(head)) return undefined;
  const p = key.slice(head.length).split("/");
  if (p.length !== 6) return undefined;
  const [node, gid, seq, date, time, file] = p;
  if (!NODE_RE.test(node) || !ID_RE.test(gid) || !ID_RE.test(seq)) return undefined;
  if (!DATE_RE.test(date) || !TIME_RE.test(time)) return undefined;
  if (file !== MANIFEST && !BUNDLE_RE.test(file)) return undefined;
  return { node, gid: Number(gid), seq: Number(seq), date, time, file };
}
