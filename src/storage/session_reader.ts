/** Reading a recorded session's segments back from its playlist on disk. */
import { join } from "node:path";
import { PLAYLIST, sessionDir } from "./layout.ts";
import { type ParsedPlaylist, parsePlaylist, type PlaylistSegment } from "./playlist.ts";
import type { SessionSummary } from "./session.ts";

/**
 * The segments a session's playlist lists (URIs relative to the session folder), or
 * undefined when the playlist cannot be read (e.g. removed by cleaning meanwhile).
 */
export async function readSessionSegments(
  mediaRoot: string,
  s: Pick<SessionSummary, "gid" | "seq" | "date" | "time">,
): Promise<PlaylistSegment[] | undefined> {
  return (await readSessionPlaylist(mediaRoot, s))?.segments;
}

/** A session's playlist, parsed (its target duration too), or undefined (see above). */
export async function readSessionPlaylist(
  mediaRoot: string,
  s: Pick<SessionSummary, "gid" | "seq" | "date" | "time">,
): Promise<ParsedPlaylist | undefined> {
  try {
    const dir = sessionDir(mediaRoot, s.gid, s.seq, s.date, s.time);
    return parsePlaylist(await Deno.readTextFile(join(dir, PLAYLIST)));
  } catch {
    return undefined;
  }
}
