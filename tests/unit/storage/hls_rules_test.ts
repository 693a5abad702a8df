/**
 * RFC 8216 rules of the playlists this program writes: a fixed target duration that every
 * EXTINF (rounded) fits, one segment per time, discontinuities where the timeline jumps,
 * removed live segments still fetchable; and that load cannot split a session.
 */
import { exists } from "../../../src/storage/files.ts";
import { join } from "node:path";
import { LiveWindow } from "../../../src/storage/live_window.ts";
import { parsePlaylist, type PlaylistSegment } from "../../../src/storage/playlist.ts";
import { joinTimeline } from "../../../src/storage/timeline.ts";
import { dayPlaylistFrom, DayPlaylists, startOffsetAt } from "../../../src/api/day_playlist.ts";
import { cors } from "../../../src/api/cors.ts";
import { loadConfig } from "../../../src/config/config.ts";
import { Hono } from "hono";
import { Catalog } from "../../../src/storage/catalog.ts";
import { RecordingSession } from "../../../src/storage/session.ts";
import { segmentsBetween } from "../../../src/storage/span_query.ts";
import { assert, assertEquals, assertMatch } from "../../support/assert.ts";
import { settle, setup } from "../../support/scripted_gst.ts";

const T0 = Date.UTC(2026, 4, 10, 12);

async function liveSegment(dir: string, run: string, n: number): Promise<string> {
  await Deno.mkdir(join(dir, run), { recursive: true });
  const path = join(dir, run, `${String(n).padStart(5, "0")}.ts`);
  await Deno.writeFile(path, new Uint8Array(188).fill(0x47));
  return path;
}

Deno.test("live: the target never changes; a longer segment is left out, the hole marked", async () => {
  const dir = await Deno.makeTempDir();
  const live = new LiveWindow(dir, 3, 2);
  const durations = [2000, 2400, 2600, 2000, 1400, 2000]; // 2.6 s rounds to 3 > 2
  const targets: number[] = [];
  let t = T0;
  for (const [i, d] of durations.entries()) {
    await live.push(await liveSegment(dir, "r", i), t, d, i === 0);
    t += d;
    const parsed = parsePlaylist(await Deno.readTextFile(join(dir, "index.m3u8")));
    targets.push(parsed.targetDuration);
    for (const s of parsed.segments) assert(Math.round(s.durationMs / 1000) <= 2, s.uri);
  }
  assertEquals(targets, [2, 2, 2, 2, 2, 2], "the old code took the ceiling: 2, 3, 3, 3, 3, 2");
  const listed = parsePlaylist(await Deno.readTextFile(join(dir, "index.m3u8"))).segments;
  assertEquals(listed.map((s) => [s.uri, !!s.discontinuity]), [
    ["r/00003.ts", true], // after the 2.6 s segment that is not listed
    ["r/00004.ts", false],
    ["r/00005.ts", false],
  ]);
});

Deno.test("live: a jump of the times is a discontinuity, not only a new run", async () => {
  const dir = await Deno.makeTempDir();
  const live = new LiveWindow(dir, 4, 2);
  await live.push(await liveSegment(dir, "r", 0), T0, 2000, true);
  await live.push(await liveSegment(dir, "r", 1), T0 + 2000, 2000, false);
  await live.push(await liveSegment(dir, "r", 2), T0 + 9000, 2000, false); // 5 s later
  const listed = parsePlaylist(await Deno.readTextFile(join(dir, "index.m3u8"))).segments;
  assertEquals(listed.map((s) => !!s.discontinuity), [false, false, true]);
});

Deno.test("live: a segment that left the playlist stays fetchable for the playlist's duration", async () => {
  const dir = await Deno.makeTempDir();
  let now = 0;
  const live = new LiveWindow(dir, 3, 2, () => now);
  const paths: string[] = [];
  for (let i = 0; i < 4; i++) {
    paths.push(await liveSegment(dir, "r", i));
    await live.push(paths[i], T0 + i * 2000, 2000, i === 0);
    now += 2000;
  }
  // Segment 0 left the playlist when segment 3 came (now = 6 s): 3 × 2 s listed + its 2 s.
  assert(await exists(paths[0]), "the old code deleted it at once");
  for (let i = 4; i < 7; i++) {
    paths.push(await liveSegment(dir, "r", i));
    await live.push(paths[i], T0 + i * 2000, 2000, false);
    const gone = !(await exists(paths[0]));
    assertEquals(gone, now >= 6000 + 8000, `at ${now} ms`);
    now += 2000;
  }
});

Deno.test("timeline: sessions joined without overlap; a time maps to one segment", () => {
  const seg = (uri: string, startMs: number, durationMs: number): PlaylistSegment => ({
    uri,
    startMs,
    durationMs,
  });
  // The case: a 7.8 s segment at 13:47:23.293, the next session's first at .358.
  const a = [seg("a1", T0, 2000), seg("a2", T0 + 2000, 7800)];
  const b = [seg("b1", T0 + 2065, 2000), seg("b2", T0 + 4065, 2000), seg("b3", T0 + 9600, 2000)];
  const c = [seg("c1", T0 + 11_800, 2000)]; // overlaps b3 by 200 ms: moved after it
  const out = joinTimeline([a, b, c]);
  assertEquals(out.map((s) => [s.uri, s.startMs - T0, !!s.discontinuity]), [
    ["a1", 0, false],
    ["a2", 2000, false],
    ["b3", 9800, true],
    ["c1", 11_800, true],
  ]);
  for (let i = 1; i < out.length; i++) {
    assert(out[i].startMs >= out[i - 1].startMs + out[i - 1].durationMs, "no overlap");
  }
  const listed = out.reduce((sum, s) => sum + s.durationMs, 0);
  const covered = out.at(-1)!.startMs + out.at(-1)!.durationMs - out[0].startMs;
  assert(listed <= covered, "the listed duration never exceeds the wall time covered");
});

Deno.test("day playlist: ?from= starts players at that time; never within 3 targets of an open end", () => {
  const times = [
    { startMs: T0, durationMs: 2000 },
    { startMs: T0 + 2000, durationMs: 2000 },
    { startMs: T0 + 60_000, durationMs: 2000 }, // after a gap
    ...Array.from(
      { length: 20 },
      (_, i) => ({ startMs: T0 + 62_000 + i * 2000, durationMs: 2000 }),
    ),
  ];
  const vod = { targetDuration: 6, type: "VOD" as const, ended: true };
  assertEquals(startOffsetAt(times, T0 + 2500, vod), 2.5);
  assertEquals(startOffsetAt(times, T0 + 30_000, vod), 4, "in a gap: the next segment");
  assertEquals(startOffsetAt(times, T0 + 200_000, vod), 46);
  const event = { targetDuration: 6, type: "EVENT" as const };
  assertEquals(startOffsetAt(times, T0 + 200_000, event), 46 - 18);
  const text = dayPlaylistFrom({
    text: "",
    gzip: new Uint8Array(),
    etag: "",
    options: event,
    body: "#EXTINF:2.000,\na.ts\n",
    times,
  }, T0 + 2500);
  assertMatch(text, /#EXT-X-START:TIME-OFFSET=2\.500,PRECISE=YES\n/);
});

Deno.test("load cannot split a session; a real step back of the wall clock still does", async () => {
  const start = new Date(2026, 4, 10, 12, 0, 0).getTime();
  const { clock, children, rec, catalog } = setup(start, "rtsp://cam/x", 1);
  await rec.start();
  await clock.advance(0);
  const gst = children[0];
  gst.open();
  // 60 segments of 2 s whose messages come late in bursts (a loaded box): the clock runs
  // ahead of the messages by up to 7 s, then they all come at once.
  const lateness = [0, 0, 7000, 0, 0, 3500, 3500, 0, 6000, 0];
  let behind = 0;
  for (let i = 0; i < 60; i++) {
    const late = lateness[i % lateness.length];
    await clock.advance(2000 + late - Math.min(behind, late === 0 ? behind : 0));
    behind = late === 0 ? 0 : behind + late;
    gst.close(2000);
    await settle(rec);
  }
  let sessions = catalog.sessions(1, 2, "2026-05-10");
  assertEquals(sessions.length, 1, `the old timer split it: ${sessions.map((s) => s.closeReason)}`);
  assertEquals(sessions[0].spans.length, 1, "no gap either");
  clock.step(-120_000); // NTP steps the wall clock back two minutes
  await clock.advance(2000);
  gst.close(2000);
  await settle(rec);
  await rec.stop();
  sessions = catalog.sessions(1, 2, "2026-05-10");
  assertEquals(sessions.map((s) => s.closeReason).sort(), ["camera stopped", "clock stepped back"]);
});

Deno.test("a GOP longer than a session's target starts a session whose target fits it", async () => {
  const start = new Date(2026, 4, 10, 12, 0, 0).getTime();
  const { root, clock, children, rec, catalog } = setup(start, "rtsp://cam/x", 1);
  await rec.start();
  await clock.advance(0);
  const gst = children[0];
  gst.open();
  for (const d of [2000, 2000, 9600, 2000]) {
    await clock.advance(d);
    gst.close(d);
    await settle(rec);
  }
  await rec.stop();
  const sessions = catalog.sessions(1, 2, "2026-05-10");
  assertEquals(sessions.map((s) => s.segments), [2, 2]);
  assertEquals(sessions[0].closeReason, "segment longer than the target duration");
  for (const s of sessions) {
    const text = await Deno.readTextFile(join(root, "1", "2", s.date, s.time, "index.m3u8"));
    const parsed = parsePlaylist(text);
    for (const seg of parsed.segments) {
      assert(Math.round(seg.durationMs / 1000) <= parsed.targetDuration, text);
    }
  }
  const days = new DayPlaylists(root, catalog);
  const day = parsePlaylist((await days.get(1, 2, "2026-05-10"))!.text);
  assertEquals(day.targetDuration, 10);
});

Deno.test("CORS: off by default; listed origins get credentials, * does not; preflights answered", async () => {
  assertEquals(loadConfig([], {}).corsOrigins, []);
  assertEquals(
    loadConfig(["--cors-origins=https://ha.example:8123/, http://10.0.0.5"], {}).corsOrigins,
    ["https://ha.example:8123", "http://10.0.0.5"],
  );
  assertEquals(loadConfig([], { NVR_CORS_ORIGINS: "*" }).corsOrigins, ["*"]);
  for (const bad of ["ha.example", "https://ha.example/path", "ftp://x"]) {
    let error = "";
    try {
      loadConfig([`--cors-origins=${bad}`], {});
    } catch (err) {
      error = (err as Error).message;
    }
    assertMatch(error, /--cors-origins/);
  }
  const app = (origins: string[]) => {
    const a = new Hono();
    a.use("*", cors(origins));
    a.get("/x.m3u8", (c) => c.text("#EXTM3U\n"));
    return a;
  };
  const get = (a: Hono, origin?: string) =>
    a.request("/x.m3u8", { headers: origin ? { origin } : {} });
  const off = await get(app([]), "https://ha.example");
  assertEquals(off.headers.get("access-control-allow-origin"), null);
  assertEquals((await app([]).request("/x.m3u8", { method: "OPTIONS" })).status, 404);

  const on = app(["https://ha.example"]);
  const listed = await get(on, "https://ha.example");
  assertEquals(listed.headers.get("access-control-allow-origin"), "https://ha.example");
  assertEquals(listed.headers.get("access-control-allow-credentials"), "true");
  assertEquals(
    (await get(on, "https://evil.example")).headers.get("access-control-allow-origin"),
    null,
  );
  const preflight = await on.request("/x.m3u8", {
    method: "OPTIONS",
    headers: {
      origin: "https://ha.example",
      "access-control-request-method": "GET",
      "access-control-request-headers": "range",
    },
  });
  assertEquals(preflight.status, 204);
  assertEquals(preflight.headers.get("access-control-allow-origin"), "https://ha.example");
  assertMatch(preflight.headers.get("access-control-allow-methods") ?? "", /GET/);
  assertEquals(preflight.headers.get("access-control-allow-headers"), "range");

  const star = await get(app(["*"]), "https://any.example");
  assertEquals(star.headers.get("access-control-allow-origin"), "*");
  assertEquals(star.headers.get("access-control-allow-credentials"), null);
});

Deno.test("day and export playlists: overlapping sessions never list a time twice", async () => {
  // Two sessions on disk whose times overlap (written before the timer fix, or after a
  // clock step back): the 7.8 s segment at …23.293 and the next session at …23.358.
  const root = await Deno.makeTempDir();
  const catalog = new Catalog(root);
  const t0 = new Date(2026, 4, 10, 13, 47, 21, 293).getTime();
  const live = join(root, "live.ts");
  await Deno.writeFile(live, new Uint8Array(188).fill(0x47));
  const record = async (start: number, durations: number[]) => {
    const s = await RecordingSession.open(root, 1, 2, start, 2);
    for (const d of durations) {
      await s.append(live, start, d, false, 188);
      start += d;
    }
    catalog.put(await s.close("recording stopped"));
  };
  await record(t0, [2000, 7800]);
  await record(t0 + 2065, [2000, 2000, 2000, 2000, 2000]);
  const text = (await new DayPlaylists(root, catalog).get(1, 2, "2026-05-10"))!.text;
  const day = parsePlaylist(text).segments;
  for (let i = 1; i < day.length; i++) {
    const prevEnd = day[i - 1].startMs + day[i - 1].durationMs;
    assert(day[i].startMs >= prevEnd, `segment ${i} starts ${prevEnd - day[i].startMs} ms early`);
  }
  const listed = day.reduce((sum, s) => sum + s.durationMs, 0);
  const last = day.at(-1)!;
  assert(listed <= last.startMs + last.durationMs - day[0].startMs, "more media than wall time");
  const span = await segmentsBetween(root, catalog, 1, 2, t0, t0 + 60_000);
  assertEquals(span.segments.map((s) => s.startMs), day.map((s) => s.startMs), "export = day");
});
