/**
 * A camera's folder under the media root: moved to another group (merged with leftovers
 * found there), moved into the deleted area when the camera is deleted, and the deleted
 * area itself (listed, purged one folder at a time). The live folder (`hls/`) is removed,
 * never moved: the camera's next recorder starts a new one.
 */
import { join } from "node:path";
import type { Logger } from "../log.ts";
import { exists, listDir, moveDir } from "../storage/files.ts";
import {
  cameraDir,
  DELETED_DIR,
  DELETED_RE,
  deletedFolderName,
  liveDir,
  THUMBS_DIR,
} from "../storage/layout.ts";
import { mergeThumbnails } from "../storage/thumbnails.ts";
import { EVENTS_DIR } from "../storage/event_store.ts";

/** Motion event files (and thumbnails) join the target's; a day file both have is appended. */
async function mergeEvents(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for (const name of await listDir(from, "file")) {
    const target = join(to, name);
    if (!(await exists(target))) await Deno.rename(join(from, name), target);
    else if (name.endsWith(".jsonl")) {
      await Deno.writeTextFile(target, "\n" + await Deno.readTextFile(join(from, name)), {
        append: true,
      });
    }
  }
}

/**
 * Removes a folder tree that is no longer needed. Already gone is fine; any other failure
 * (permissions, I/O) is logged and the camera change goes on: what is left is only disk
 * space, never listed (it is not a session of a registered camera).
 */
async function removeLeftover(path: string, log: Logger): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return;
    log.warn("cannot remove a camera's leftover folder", { path, error: String(err) });
  }
}

/**
 * Moves the recordings of camera (fromGid, seq) to (toGid, seq). Leftovers at the target
 * (not a registered camera) are merged day by day, session by session (a session folder
 * whose name is taken gets the next free second). False when there was nothing to move.
 */
export async function moveCameraFolder(
  mediaRoot: string,
  fromGid: number,
  toGid: number,
  seq: number,
  log: Logger,
): Promise<boolean> {
  const from = cameraDir(mediaRoot, fromGid, seq);
  const to = cameraDir(mediaRoot, toGid, seq);
  await removeLeftover(liveDir(mediaRoot, fromGid, seq), log);
  if (!(await exists(from))) return false;
  if (!(await exists(to))) {
    await moveDir(from, to);
    return true;
  }
  for (const date of await listDir(from, "dir")) {
    if (date === EVENTS_DIR) {
      await mergeEvents(join(from, date), join(to, date));
      continue;
    }
    for (const time of await listDir(join(from, date), "dir")) {
      if (time === THUMBS_DIR) {
        await mergeThumbnails(join(from, date), join(to, date));
        continue;
      }
      let target = join(to, date, time);
      for (let i = 1; await exists(target); i++) {
        target = join(to, date, String(Number(time) + i).padStart(6, "0"));
      }
      await moveDir(join(from, date, time), target);
    }
  }
  await removeLeftover(from, log);
  return true;
}

/**
 * Moves a deleted camera's recordings to `{media}/deleted/{gid}_{seq}_{YYYYMMDD-HHMMSS}`
 * (`-N` when that name is taken); its live folder is removed. The folder it moved to, or
 * undefined when the camera had no folder.
 */
export async function moveToDeleted(
  mediaRoot: string,
  gid: number,
  seq: number,
  at: Date,
  log: Logger,
): Promise<string | undefined> {
  const dir = cameraDir(mediaRoot, gid, seq);
  await removeLeftover(liveDir(mediaRoot, gid, seq), log);
  if (!(await exists(dir))) return undefined;
  const base = join(mediaRoot, DELETED_DIR, deletedFolderName(gid, seq, at));
  let target = base;
  for (let i = 1; await exists(target); i++) target = `${base}-${i}`;
  await moveDir(dir, target);
  return target;
}

/** Folders in the deleted area: `{gid}_{seq}_{YYYYMMDD-HHMMSS}[-N]`. */
export async function listDeleted(
  mediaRoot: string,
): Promise<{ id: string; gid: number; seq: number }[]> {
  const names = await listDir(join(mediaRoot, DELETED_DIR), "dir");
  return names.flatMap((id) => {
    const m = DELETED_RE.exec(id);
    return m ? [{ id, gid: Number(m[1]), seq: Number(m[2]) }] : [];
  });
}

/** Permanently removes one folder of the deleted area; false when there is no such folder. */
export async function purgeDeleted(mediaRoot: string, id: string): Promise<boolean> {
  if (!DELETED_RE.test(id)) return false;
  const dir = join(mediaRoot, DELETED_DIR, id);
  if (!(await exists(dir))) return false;
  await Deno.remove(dir, { recursive: true });
  return true;
}
