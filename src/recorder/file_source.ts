/** Confinement of `file://` sources to the configured file folder (`--file-root`). */
import { join, sep } from "node:path";

/**
 * The absolute path of a file source, after following symlinks, when it lies inside
 * `root`; throws an Error saying why not otherwise. Synchronous: called while the
 * pipeline's argv is built, before every run.
 */
export function resolveFileSource(root: string | undefined, location: string): string {
  if (!root) throw new Error("file sources are disabled (set --file-root)");
  let realRoot: string, real: string;
  try {
    realRoot = Deno.realPathSync(root);
    real = Deno.realPathSync(join(realRoot, location));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    throw new Error(`file not found in the file folder: ${location}`);
  }
  if (!real.startsWith(realRoot + sep)) {
    throw new Error(`file is outside the file folder: ${location}`);
  }
  if (!Deno.statSync(real).isFile) throw new Error(`not a file: ${location}`);
  return real;
}
