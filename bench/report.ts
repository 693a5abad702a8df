/**
 * Writes RESULTS.md and cost.svg from one run's results. The parts live in report/:
 * formatting helpers, the run and machine description, the headline table, the cost
 * section (with overlay vs copy mode and the chart), and the other sections.
 */
import { join } from "node:path";
import type { Results } from "./results.ts";
import { costSection } from "./report/cost.ts";
import { headline } from "./report/headline.ts";
import { runInfo } from "./report/machine.ts";
import { latencySection, writeAmpSection } from "./report/recording.ts";
import { apiSection, playbackSection, scaleSection } from "./report/serving.ts";

export async function writeReport(r: Results, dir: string): Promise<void> {
  const cost = costSection(r);
  const out = [
    ...runInfo(r),
    "## Headline",
    "",
    ...headline(r),
    "",
    ...cost.lines,
    ...writeAmpSection(r),
    ...apiSection(r),
    ...scaleSection(r),
    ...latencySection(r),
    ...playbackSection(r),
  ];
  if (r.errors.length) {
    out.push("## Errors", "", ...r.errors.map((e) => "- " + e.split("\n")[0]), "");
  }
  await Deno.mkdir(dir, { recursive: true });
  if (cost.chart) await Deno.writeTextFile(join(dir, "cost.svg"), cost.chart);
  await Deno.writeTextFile(join(dir, "RESULTS.md"), out.join("\n"));
}
