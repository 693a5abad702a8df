/**
 * How the server runs, from its one definition: the `start` task in deno.json.
 * Tests and benchmarks start the recorder with exactly the flags it ships with; only
 * the folders change: `./media` and `./data` become the test's temporary media root and
 * data dir, and `.` (the project folder) becomes the repository. Never `-A`.
 */
import { isAbsolute, join } from "node:path";

export const REPO = new URL("../", import.meta.url).pathname;

/** A `deno …` task command split into the deno subcommand, its flags, entry point, program args. */
export interface DenoCommand {
  subcommand: string;
  flags: string[];
  entry: string;
  args: string[];
}

/** Splits a task command such as `deno run --allow-net main.ts --demo=on` (no quoting in it). */
export function parseDenoCommand(command: string): DenoCommand {
  const words = command.trim().split(/\s+/);
  if (words[0] !== "deno") throw new Error(`not a deno command: ${command}`);
  const entryAt = words.findIndex((w, i) => i > 1 && !w.startsWith("-") && w.endsWith(".ts"));
  if (entryAt < 0) throw new Error(`no entry point in: ${command}`);
  return {
    subcommand: words[1],
    flags: words.slice(2, entryAt),
    entry: words[entryAt],
    args: words.slice(entryAt + 1),
  };
}

/** deno.json's tasks, each as its command string. */
export function denoTasks(): Record<string, string> {
  const json = JSON.parse(Deno.readTextFileSync(join(REPO, "deno.json")));
  const tasks: Record<string, string> = {};
  for (const [name, t] of Object.entries(json.tasks as Record<string, unknown>)) {
    tasks[name] = typeof t === "string" ? t : (t as { command: string }).command;
  }
  return tasks;
}

/** The `start` task's permission flags, as written. */
export function shippedFlags(): string[] {
  const start = parseDenoCommand(denoTasks().start);
  if (start.subcommand !== "run" || start.entry !== "main.ts" || start.args.length > 0) {
    throw new Error(`unexpected start task: ${denoTasks().start}`);
  }
  if (start.flags.some((f) => f === "-A" || f === "--allow-all")) {
    throw new Error("the start task must not allow everything");
  }
  return start.flags;
}

export interface Folders {
  mediaRoot: string;
  dataDir: string;
  /** Folders the user would add to `--allow-read` (e.g. a `--file-root`). */
  extraRead?: string[];
}

/**
 * The shipped flags with the folders substituted: `./media` → `mediaRoot`, `./data` →
 * `dataDir`, `.` and other relative paths → under the repository. Since `.` holds
 * `./media` and `./data` in the shipped layout, read access to `.` brings read access
 * to the two temporary folders with it.
 */
export function serverFlags(f: Folders): string[] {
  const place = (p: string) => {
    const norm = p.replace(/\/+$/, "");
    if (norm === "./media" || norm === "media") return f.mediaRoot;
    if (norm === "./data" || norm === "data") return f.dataDir;
    return isAbsolute(p) ? p : join(REPO, p);
  };
  return shippedFlags().map((flag) => {
    const m = /^(--allow-(?:read|write))=(.*)$/.exec(flag);
    if (!m) return flag;
    const list = m[2].split(",");
    const paths = list.map(place);
    if (m[1] === "--allow-read") {
      if (list.some((p) => p === "." || p === "./")) paths.push(f.mediaRoot, f.dataDir);
      paths.push(...(f.extraRead ?? []));
    }
    return `${m[1]}=${[...new Set(paths)].join(",")}`;
  });
}

/** argv for `deno` that runs the recorder as shipped, with the given folders and options. */
export function serverArgv(f: Folders, args: string[]): string[] {
  return [
    "run",
    ...serverFlags(f),
    join(REPO, "main.ts"),
    `--media-root=${f.mediaRoot}`,
    `--data-dir=${f.dataDir}`,
    ...args,
  ];
}
