/** A camera's pipeline spec for argv tests: the source (an iaddr, or parsed) plus defaults. */
import { parseSource, type Source } from "../../src/recorder/source_url.ts";
import type { PipelineSpec } from "../../src/recorder/pipeline.ts";

export const pipelineSpec = (
  source: string | Source,
  extra: Partial<PipelineSpec> = {},
): PipelineSpec => ({
  source: typeof source === "string" ? parseSource(source) : source,
  codec: "h264",
  locationPattern: "/media/1/2/hls/abc_%05d.ts",
  segmentSeconds: 2,
  latencyMs: 200,
  watchdogMs: 8000,
  ...extra,
});
