/** The URL shapes of the seed's contract. */
import type { Context } from "hono";

export interface Urls {
  base(c: Context): string;
  stream(base: string, gid: number, seq: number): string;
  session(base: string, s: { gid: number; seq: number; date: string; time: string }): string;
}

export function createUrls(publicUrl?: string): Urls {
  return {
    base: (c) => publicUrl ?? new URL(c.req.url).origin,
    stream: (base, gid, seq) => `${base}/${gid}/${seq}/hls/index.m3u8`,
    session: (base, s) => `${base}/${s.gid}/${s.seq}/${s.date}/${s.time}/index.m3u8`,
  };
}
