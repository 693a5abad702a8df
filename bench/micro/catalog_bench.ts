/**
 * The start-up catalog rebuild over a synthetic media folder (bench/synthetic.ts, made in a
 * temp dir): 16 cameras × 30 days × 4 closed sessions, each with its session.json, so the
 * rebuild walks the folders and reads 1,920 summaries. `deno task bench:micro`; results in
 * bench/RESULTS.md (the full benchmark measures a year through the running server).
 */
import { join } from "node:path";
import { Catalog } from "../../src/storage/catalog.ts";
import { generate } from "../synthetic.ts";

const root = await Deno.makeTempDir({ prefix: "nvr-micro-catalog-" });
const spec = {
  cameras: 16,
  days: 30,
  sessionsPerDay: 4,
  playable: false,
  segmentMs: 2000,
  segmentBytes: 1_000_000,
};
const { sessions } = await generate(root, spec, "");
const catalog = new Catalog(join(root, "media"));

Deno.bench(`catalog rebuild: 16 cameras × 30 days (${sessions} sessions)`, async () => {
  const report = await catalog.rebuild();
  if (report.sessions !== sessions) throw new Error(`rebuilt ${report.sessions} of ${sessions}`);
});

globalThis.addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));
