/**
 * One MP4 from recorded MPEG-TS segments, remuxed (no re-encoding) by a `gst-launch-1.0`
 * child run through the injected Spawner (argv array, no shell): the segments are
 * concatenated on its stdin, and it writes `out`. Used by the export route.
 */
import type { Spawner } from "./child_process.ts";
import { GST_LAUNCH } from "./pipeline.ts";

/** The tracks of the MP4 (see spanTracks in storage/ts_streams.ts). */
export interface RemuxTracks {
  video: "h264" | "h265";
  audio: boolean;
}

/** A remux that runs longer than this is ended (SIGTERM) and fails. */
const REMUX_TIMEOUT_MS = 120_000;

/**
 * Concatenated MPEG-TS on stdin → tsdemux → parsers → mp4mux → `out`; no re-encoding.
 * Pure argv (paths are never part of the pipeline text except `out`, a temp file).
 */
export function remuxArgs(streams: RemuxTracks, out: string) {
  return [
    "-q",
    "fdsrc",
    "fd=0",
    "!",
    "tsdemux",
    "name=demux",
    "demux.",
    "!",
    "queue",
    "!",
    `${streams.video}parse`,
    "!",
    // The parser passes NAL units on as they were muxed (one PES packet each, only the
    // first with a PTS: splitmuxsink cuts a GOP sooner that way); MP4 needs every frame's.
    `${streams.video}timestamper`,
    "!",
    "mp4mux",
    "name=mux",
    "!",
    "filesink",
    `location=${out}`,
    ...(streams.audio ? ["demux.", "!", "queue", "!", "aacparse", "!", "mux."] : []),
  ];
}

/**
 * Remuxes the segments at `paths` (in order) into the MP4 `out`. A segment that is gone
 * (pruned meanwhile) is skipped; the child's failure, or a run past REMUX_TIMEOUT_MS,
 * throws with the start of its error output.
 */
export async function remux(
  spawn: Spawner,
  paths: string[],
  tracks: RemuxTracks,
  out: string,
): Promise<void> {
  const child = spawn(GST_LAUNCH, remuxArgs(tracks, out), { stdin: true });
  const timer = setTimeout(() => child.kill("SIGTERM"), REMUX_TIMEOUT_MS);
  Deno.unrefTimer(timer);
  let stderr = "";
  const output = (async () => {
    for await (const l of child.lines) {
      if (l.stream === "stderr" && stderr.length < 300) stderr += l.line + "\n";
    }
  })();
  try {
    const writer = child.stdin!.getWriter();
    try {
      for (const p of paths) {
        try {
          await writer.write(await Deno.readFile(p));
        } catch (err) {
          if (err instanceof Deno.errors.NotFound) continue; // pruned meanwhile
          throw err;
        }
      }
    } finally {
      // A child that already exited (its status says why) cannot take the end of input.
      await writer.close().catch(() => {});
    }
    const status = await child.status;
    await output;
    if (status.code !== 0) {
      throw new Error(`remux failed (${status.code}): ${stderr.slice(0, 300)}`);
    }
  } catch (err) {
    child.kill("SIGTERM"); // no longer fed or waited for: it must not go on writing `out`
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
