/** Small file-system helpers shared by storage code. */
import { dirname, join } from "node:path";

/**
 * Writes a file so that readers see the old or the new content, never a mix.
 * `mode`: the file's permission bits from its creation on (e.g. PRIVATE_FILE).
 */
export async function writeFileAtomic(path: string, data: string, mode?: number): Promise<void> {
  const tmp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.writeTextFile(tmp, data, mode === undefined ? undefined : { mode });
    if (mode !== undefined && CHMOD) await Deno.chmod(tmp, mode); // whatever the umask
    await Deno.rename(tmp, path);
  } catch (err) {
    // The write's own error is the one to report; a temporary file that cannot be removed
    // either is left (a later write uses another name).
    await removeIfPresent(tmp).catch(() => {/* see above */});
    throw err;
  }
}

/** Modes of what the data dir holds (camera passwords, settings): owner only. */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;
const CHMOD = Deno.build.os !== "windows";

/** Writes a private file (0600) atomically in a private folder (0700), created if missing. */
export async function writePrivateFile(path: string, data: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR });
  await writeFileAtomic(path, data, PRIVATE_FILE);
}

/**
 * Creates `dir` (0700) or makes an existing one private: the folder and every folder
 * in it 0700, every file 0600 (symbolic links are left alone, never followed).
 */
export async function makePrivateDir(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
  if (!CHMOD) return;
  await Deno.chmod(dir, PRIVATE_DIR);
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) await makePrivateDir(join(dir, e.name));
    else if (e.isFile) await Deno.chmod(join(dir, e.name), PRIVATE_FILE);
  }
}

/** Whether `path` exists (a symbolic link counts, its target is not followed). */
export async function exists(path: string): Promise<boolean> {
  return (await lstatIfPresent(path)) !== undefined;
}

/** `Deno.lstat`, or undefined when nothing is at `path`; other errors are thrown. */
export async function lstatIfPresent(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.lstat(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

/** `Deno.stat`, or undefined when nothing is at `path`; other errors are thrown. */
export async function statIfPresent(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

/** The error of removing a folder that is not empty. */
export function isNotEmpty(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "ENOTEMPTY";
}

/** Directory entries (names) of one kind; empty when the directory does not exist. */
export async function listDir(path: string, kind: "file" | "dir"): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(path)) {
      if (kind === "file" ? e.isFile : e.isDirectory) names.push(e.name);
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return names.sort();
}

/** Hard-links `from` to `to` (no bytes copied); copies when linking is impossible. */
export async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await Deno.link(from, to);
  } catch (err) {
    if (err instanceof Deno.errors.AlreadyExists) return;
    await Deno.copyFile(from, to);
  }
}

/** Moves a directory; creates the target's parent first. */
export async function moveDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(dirname(to), { recursive: true });
  await Deno.rename(from, to);
}

/**
 * Removes `path` (a folder with `recursive`). Returns false when it was not there; any
 * other error (permission, I/O) is thrown.
 */
export async function removeIfPresent(
  path: string,
  options?: Deno.RemoveOptions,
): Promise<boolean> {
  try {
    await Deno.remove(path, options);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}
