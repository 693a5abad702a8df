/**
 * The layer graph of src/ (docs/design.md, "Layers"): a folder imports only folders of a lower
 * layer, or itself. Read from the source text, so a new import that goes up fails here.
 */
import { dirname, join, relative } from "node:path";
import { assertEquals } from "../../support/assert.ts";

const SRC = new URL("../../../src/", import.meta.url).pathname;

/** Lower number = lower layer (docs/design.md). */
const LAYER: Record<string, number> = {
  util: 0,
  "clock.ts": 1,
  "time.ts": 1,
  "log.ts": 1,
  "events.ts": 1,
  config: 2,
  storage: 3,
  recorder: 4,
  archive: 4,
  schedule: 5,
  cameras: 6,
  health: 7,
  integrations: 7,
  api: 8,
  web: 8,
  "http_app.ts": 9,
  "server.ts": 9,
};
/** Same-layer imports that are allowed (from → to). */
const SIDEWAYS = new Set(["web→api", "server.ts→http_app.ts"]);

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) yield* sourceFiles(path);
    else if (/\.tsx?$/.test(e.name)) yield path;
  }
}

const unitOf = (file: string): string => relative(SRC, file).split("/")[0];

/** Every relative import of src/ as [from unit, to unit, file]. */
async function imports(): Promise<[string, string, string][]> {
  const out: [string, string, string][] = [];
  for await (const file of sourceFiles(SRC)) {
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const target = join(dirname(file), m[1]);
      if (!target.startsWith(SRC)) continue;
      out.push([unitOf(file), unitOf(target), relative(SRC, file)]);
    }
  }
  return out;
}

Deno.test("src/: every import goes down a layer (or stays in its folder)", async () => {
  const wrong: string[] = [];
  for (const [from, to, file] of await imports()) {
    if (from === to) continue;
    const a = LAYER[from], b = LAYER[to];
    if (a === undefined || b === undefined) {
      wrong.push(`${file}: ${from} or ${to} has no layer (add it to docs/design.md and here)`);
    } else if (b > a || (b === a && !SIDEWAYS.has(`${from}→${to}`))) {
      wrong.push(`${file} imports ${to} (layer ${b}) from ${from} (layer ${a})`);
    }
  }
  assertEquals([...new Set(wrong)].sort(), []);
});
