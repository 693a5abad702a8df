/**
 * `{media}/.exports/`: MP4 exports while they are made and sent. Each export is a new
 * file there (the server writes nowhere else than the media root and the data dir); the
 * export route unlinks it once it is open for the response, and the folder is emptied at
 * start-up (files left by a crash).
 */
import { join } from "node:path";
import { EXPORTS_DIR } from "./layout.ts";

/** A new file name for one export; creates the folder first (throws when it cannot). */
export async function newExportFile(mediaRoot: string): Promise<string> {
  const dir = join(mediaRoot, EXPORTS_DIR);
  await Deno.mkdir(dir, { recursive: true });
  return join(dir, `${crypto.randomUUID()}.mp4`);
}

/** Empties `{media}/.exports` (files left by a crash); called at start-up. */
export async function sweepExports(mediaRoot: string): Promise<void> {
  await Deno.remove(join(mediaRoot, EXPORTS_DIR), { recursive: true }).catch((err) => {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  });
}
