/** After a fault: every complete segment is on disk, in its session's index, and decodes. */
import { join } from "node:path";
import { assert } from "../support/assert.ts";
import { decodeFrames, type Nvr } from "../support/harness.ts";

export interface Integrity {
  sessions: number;
  listed: number;
  unlisted: number;
  frames: number;
}

/** Checks every session folder of one camera; at most one unlisted (partial) file per session. */
export async function checkIntegrity(nvr: Nvr, gid: number, seq: number): Promise<Integrity> {
  const cam = join(nvr.mediaRoot, String(gid), String(seq));
  const out: Integrity = { sessions: 0, listed: 0, unlisted: 0, frames: 0 };
  for (const d of Deno.readDirSync(cam)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d.name)) continue;
    const day = (await nvr.api("GET", `/api/recordings/gid/${gid}/seq/${seq}/date/${d.name}`)).json;
    const indexed = new Set(day.sessions.map((s: { time: string }) => s.time));
    for (const s of Deno.readDirSync(join(cam, d.name))) {
      if (!/^\d{6}$/.test(s.name)) continue; // session folders only (not thumbs/)
      const dir = join(cam, d.name, s.name);
      assert(indexed.has(s.name), `session ${d.name}/${s.name} on disk is in the index`);
      const text = Deno.readTextFileSync(join(dir, "index.m3u8"));
      const listed = text.split("\n").filter((l) => l.endsWith(".ts"));
      const files = [...Deno.readDirSync(dir)].filter((f) => f.name.endsWith(".ts")).map((f) =>
        f.name
      );
      for (const l of listed) assert(files.includes(l), `${s.name}/${l} listed but missing`);
      const unlisted = files.filter((f) => !listed.includes(f));
      assert(unlisted.length <= 1, `${s.name}: ${unlisted.length} segments on disk not listed`);
      if (listed.length) {
        const frames = await decodeFrames(join(dir, "index.m3u8"));
        assert(frames > 0, `${s.name} decodes`);
        out.frames += frames;
      }
      out.sessions++;
      out.listed += listed.length;
      out.unlisted += unlisted.length;
    }
  }
  return out;
}
