import { assert, assertEquals } from "../../support/assert.ts";
import {
  parseManifest,
  renderArchivedDay,
  spansOfEntries,
} from "../../../src/archive/fleet_day.ts";
import { manifestEntries, renderManifest } from "../../../src/archive/manifest.ts";
import type { ArchivedBundle } from "../../../src/storage/archive_index.ts";

const T0 = 1_764_597_902_000;
const bundle = (first: number, n: number): ArchivedBundle => ({
  key: `p/n/1/1/2025-12-01/120000/${first}.ts`,
  size: n * 188,
  md5: "",
  segments: Array.from({ length: n }, (_, i) => ({
    name: `${first + i * 2000}_2000.ts`,
    offset: i * 188,
    bytes: 188,
  })),
});

Deno.test("fleet day: a manifest parses back into its entries and spans", () => {
  const bundles = [bundle(T0, 3), bundle(T0 + 10_000, 2)];
  const parsed = parseManifest(renderManifest(bundles, true));
  assertEquals(parsed.ended, true);
  assertEquals(
    parsed.entries.map(({ discontinuity: _, ...e }) => e),
    manifestEntries(bundles),
  );
  assertEquals(spansOfEntries(parsed.entries), [[T0, T0 + 6000], [T0 + 10_000, T0 + 14_000]]);
  assertEquals(parseManifest(renderManifest(bundles, false)).ended, false);
});

Deno.test("fleet day: sessions joined into one playlist through this recorder's URLs", () => {
  const a = parseManifest(renderManifest([bundle(T0, 2)], true));
  const b = parseManifest(renderManifest([bundle(T0 + 60_000, 1)], false));
  const text = renderArchivedDay([
    { time: "120000", ...a },
    { time: "120100", ...b },
  ], "/archive/n/1/1/2025-12-01");
  const uris = text.split("\n").filter((l) => l.startsWith("/archive/"));
  assertEquals(uris, [
    `/archive/n/1/1/2025-12-01/120000/${T0}.ts`,
    `/archive/n/1/1/2025-12-01/120000/${T0}.ts`,
    `/archive/n/1/1/2025-12-01/120100/${T0 + 60_000}.ts`,
  ]);
  assertEquals(text.match(/#EXT-X-DISCONTINUITY/g)?.length, 1);
  assert(text.includes("#EXT-X-PLAYLIST-TYPE:EVENT") && !text.includes("ENDLIST"), text);
});
