import { parseSegmentFileName, segmentFileName } from "../../../src/storage/layout.ts";
import { parsePlaylist, renderPlaylist, targetDurationFor } from "../../../src/storage/playlist.ts";
import { assertEquals, assertMatch } from "../../support/assert.ts";

Deno.test("segment file names round-trip start time and duration", () => {
  const s = { startMs: 1_795_564_372_350, durationMs: 2002 };
  assertEquals(segmentFileName(s), "1795564372350_2002.ts");
  assertEquals(parseSegmentFileName(segmentFileName(s)), s);
  assertEquals(parseSegmentFileName("../x.ts"), undefined);
});

Deno.test("playlists render wall-clock time and discontinuities, and parse back", () => {
  const segments = [
    { uri: "a.ts", startMs: Date.UTC(2026, 0, 1, 10), durationMs: 2000 },
    { uri: "b.ts", startMs: Date.UTC(2026, 0, 1, 10, 0, 2), durationMs: 4100 },
    { uri: "c.ts", startMs: Date.UTC(2026, 0, 1, 10, 5), durationMs: 2000, discontinuity: true },
  ];
  const text = renderPlaylist({
    targetDuration: targetDurationFor(segments, 2),
    type: "VOD",
    ended: true,
  }, segments);
  assertMatch(text, /#EXT-X-TARGETDURATION:4\n/, "4.1 s rounds to 4 (RFC 8216 4.3.3.1)");
  assertMatch(
    text,
    /#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:[^\n]+\n#EXTINF:2\.000,\nc\.ts/,
  );
  assertMatch(text, /#EXT-X-ENDLIST\n$/);
  const parsed = parsePlaylist(text);
  assertEquals(parsed.ended, true);
  assertEquals(parsed.targetDuration, 4);
  assertEquals(parsed.segments.map((s) => [s.uri, s.startMs, s.durationMs, !!s.discontinuity]), [
    ["a.ts", segments[0].startMs, 2000, false],
    ["b.ts", segments[1].startMs, 4100, false],
    ["c.ts", segments[2].startMs, 2000, true],
  ]);
});
