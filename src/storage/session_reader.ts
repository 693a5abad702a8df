/** Reading a recorded session's segments back from its playlist on disk. */
import { join } from "node:path";
import { PLAYLIST, sessionDir } from "./layout.ts";
import { type ParsedPlaylist, parsePlaylist } from "./playlist.ts";
import type { SessionSummary } from "./session.ts";

/**
 * A session's playlist, parsed (segment URIs relative to the session folder, its target
 * duration), or undefined when it cannot be read (e.g. removed by cleaning meanwhile).
 */
export async function readSessionPlaylist(
  mediaRoot: string,
  s: Pick<SessionSummary, "gid" | "seq" | "date" | "time">,
): Promise<ParsedPlaylist | undefined> {
  const dir = sessionDir(mediaRoot, s.gid, s.seq, s.date, s.time);
  try {
    return parsePlaylist(await Deno.readTextFile(join(dir, PLAYLIST)));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}
