/** file:// sources: what the API accepts, how the path is confined, the pipeline it gets. */
import { join } from "node:path";
import { parseSource, SourceError } from "../../../src/recorder/source_url.ts";
import { resolveFileSource } from "../../../src/recorder/file_source.ts";
import { buildPipelineArgs } from "../../../src/recorder/pipeline.ts";
import { pipelineSpec } from "../../support/pipeline_spec.ts";
import { assert, assertEquals, assertThrows } from "../../support/assert.ts";

Deno.test("file:// iaddr: a plain path inside the file folder, nothing else", () => {
  assertEquals(parseSource("file:///clips/door.mp4"), { kind: "file", location: "clips/door.mp4" });
  for (
    const bad of [
      "file:///../etc/passwd.mp4",
      "file:///a/%2e%2e/b.mp4",
      "file:///a%2fb.mp4",
      "file://host/a.mp4",
      "file:///a.txt",
      "file:///.hidden.mp4",
      "file:///a.mp4?x=1",
      "file:///",
    ]
  ) assert(assertThrows(() => parseSource(bad)) instanceof SourceError, bad);
});

Deno.test("file sources resolve inside the folder only, following symlinks", async () => {
  const tmp = await Deno.makeTempDir();
  const root = join(tmp, "root");
  await Deno.mkdir(join(root, "sub"), { recursive: true });
  await Deno.writeTextFile(join(root, "sub", "a.mp4"), "x");
  await Deno.writeTextFile(join(tmp, "out.mp4"), "x");
  await Deno.symlink(join(tmp, "out.mp4"), join(root, "link.mp4"));
  assertEquals(resolveFileSource(root, "sub/a.mp4"), join(await Deno.realPath(root), "sub/a.mp4"));
  assertThrows(() => resolveFileSource(root, "link.mp4"), /outside the file folder/);
  assertThrows(() => resolveFileSource(root, "nope.mp4"), /not found/);
  assertThrows(() => resolveFileSource(undefined, "sub/a.mp4"), /--file-root/);
});

Deno.test("file pipeline: demux by extension, parse, pace in real time", () => {
  const args = buildPipelineArgs(
    pipelineSpec({ kind: "file", location: "/srv/clips/door.mkv" }),
  ).join(" ");
  assert(
    args.includes(
      'filesrc location="/srv/clips/door.mkv" ! matroskademux name=demux demux. ! video/x-h264 ! queue ! h264parse config-interval=-1 ! clocksync ! video/x-h264,alignment=au ! watchdog',
    ),
    args,
  );
});
