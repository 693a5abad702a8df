/**
 * HLS conformance, calm and under a CPU hog on every core: real cameras (the test RTSP
 * server: H.264, and H.264 + AAC) recorded by the real recorder. Every live refresh and
 * every session, day and export playlist is read by an independent strict parser
 * (hls-parser) and checked against RFC 8216 rules (tests/support/hls_rules.ts); every
 * closed playlist is decoded by ffmpeg, which must print nothing. Load must not split a
 * session, batch live updates, or delete a segment a player may still fetch.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { checkPlaylist, ffmpegErrors, LiveTracker } from "../support/hls_rules.ts";
import { closedPlaylist, type Nvr } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RECORD_S = 24;
const CAMERAS = [
  { gid: 1, seq: 1, mount: "h264" },
  { gid: 1, seq: 2, mount: "h264aac" },
];

/** Two busy loops per core (plain shell loops), killed by the returned function. */
function cpuHog(): () => Promise<void> {
  const children = Array.from(
    { length: 2 * navigator.hardwareConcurrency },
    () => new Deno.Command("sh", { args: ["-c", "while :; do :; done"], stdout: "null" }).spawn(),
  );
  return async () => {
    for (const c of children) {
      try {
        c.kill("SIGKILL");
      } catch { /* gone */ }
      await c.status;
    }
  };
}

/** A player on another origin (listed) loads the live playlist; a preflight is answered. */
async function checkCors(nvr: Nvr, problems: string[]) {
  const url = `${nvr.base}/1/1/hls/index.m3u8`;
  const origin = "https://player.example";
  const preflight = await fetch(url, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "GET",
      "access-control-request-headers": "range",
    },
  });
  await preflight.body?.cancel();
  if (
    preflight.status !== 204 || preflight.headers.get("access-control-allow-origin") !== origin
  ) problems.push(`CORS preflight: ${preflight.status} ${[...preflight.headers]}`);
  const get = await fetch(url, { headers: { origin } });
  await get.body?.cancel();
  if (get.headers.get("access-control-allow-origin") !== origin) {
    problems.push(`CORS GET: ${get.status} ${[...get.headers]}`);
  }
  const other = await fetch(url, { headers: { origin: "https://other.example" } });
  await other.body?.cancel();
  if (other.headers.has("access-control-allow-origin")) problems.push("CORS: an unlisted origin");
}

async function conformance(hog: boolean) {
  const problems: string[] = [];
  const rc = await startRecording({
    rtsp: { gop: 30, fps: 15 },
    nvr: {
      segmentSeconds: 2,
      liveSegments: 4,
      extraArgs: ["--cors-origins=https://player.example"],
    },
    cameras: CAMERAS.map((c) => ({ ...c, name: c.mount })),
    segments: 1, // first segments
  });
  const { nvr } = rc;
  let stopHog: (() => Promise<void>) | undefined;
  let polling = true;
  try {
    if (!hog) await checkCors(nvr, problems);
    if (hog) stopHog = cpuHog();
    const started = Date.now();

    // Live: poll every camera's playlist; a segment that left it must still be fetchable.
    const trackers = CAMERAS.map((c) => new LiveTracker(`live ${c.gid}/${c.seq}`, problems));
    const stale: Promise<void>[] = [];
    const poller = (async () => {
      while (polling) {
        for (const [i, c] of CAMERAS.entries()) {
          const url = `${nvr.base}/${c.gid}/${c.seq}/hls/index.m3u8`;
          const text = await (await fetch(url)).text();
          const t = trackers[i];
          const before = t.left.length;
          t.refresh(text);
          for (const gone of t.left.slice(before)) {
            stale.push(
              fetch(new URL(gone.uri, url), { method: "HEAD" }).then((r) => {
                if (!r.ok) problems.push(`live ${gone.uri}: ${r.status} just after it left`);
              }),
            );
          }
        }
        await sleep(250);
      }
    })();

    // Camera 1 stops and starts recording half-way: two sessions joined in its day.
    await sleep((RECORD_S / 2) * 1000);
    const first = await nvr.api("PUT", "/api/camera/record/status", { gid: 1, seq: 1, isRec: 0 });
    await closedPlaylist(first.json.record_url, 30_000); // it closes after the segment holding the stop
    await nvr.api("PUT", "/api/camera/record/status", { gid: 1, seq: 1, isRec: 1 });
    await sleep((RECORD_S / 2) * 1000);
    const recordUrls: string[] = [];
    for (const c of CAMERAS) {
      const off = await nvr.api("PUT", "/api/camera/record/status", {
        gid: c.gid,
        seq: c.seq,
        isRec: 0,
      });
      assert(off.json.record_url, JSON.stringify(off.json));
      recordUrls.push(off.json.record_url);
    }
    const wallS = (Date.now() - started) / 1000;
    polling = false;
    await poller;
    await Promise.all(stale);
    await stopHog?.();
    stopHog = undefined;
    for (const url of recordUrls) await closedPlaylist(url, 30_000);

    for (const t of trackers) {
      const gaps = t.updates.slice(1).map((u, i) => (u.at - t.updates[i].at) / 1000);
      console.log(
        `${hog ? "hog" : "calm"} ${t.what}: target ${t.target}, ${t.updates.length} updates, ${
          t.updates.filter((u) => u.added > 1).length
        } with 2+ segments, ${gaps.filter((g) => g > 3).length} over 3 s apart, listed ${
          Math.max(...t.updates.map((u) => u.delayMs))
        } ms after their end at most`,
      );
      // One update per segment: never two segments at once (it was 23 of 89 updates).
      const batched = t.updates.filter((u) => u.added > 1).length;
      if (batched > (hog ? 2 : 0)) {
        problems.push(`${t.what}: ${batched} of ${t.updates.length} updates added 2+ segments`);
      }
      assert(t.updates.length >= wallS / 2 / 2, `${t.what}: ${t.updates.length} updates`);
      // splitmuxsink closes a fragment once the GOP after it is whole: one GOP (2 s) late.
      const slow = t.updates.filter((u) => u.delayMs > 2000 + (hog ? 3000 : 1500));
      if (slow.length) problems.push(`${t.what}: listed late: ${slow.map((u) => u.delayMs)} ms`);
    }

    // Every session, day and export playlist: strict parse, the rules, a clean decode.
    const decode: string[] = [];
    for (const c of CAMERAS) {
      const days = (await nvr.api("GET", `/api/recordings/gid/${c.gid}/seq/${c.seq}/days`)).json
        .days as string[];
      // The camera's whole recording (for the export), and its sessions, over every day: a
      // run across midnight puts them on two days.
      let camFirst = Infinity, camLast = -Infinity, sessions = 0;
      for (const date of days) {
        let dayFirst = Infinity;
        const day = (await nvr.api(
          "GET",
          `/api/recordings/gid/${c.gid}/seq/${c.seq}/date/${date}`,
        )).json;
        // Load never splits a session: one per recording period (two for camera 1).
        for (const s of day.sessions) {
          if (s.close_reason !== "recording stopped") {
            problems.push(`${c.mount} ${s.time}: closed as "${s.close_reason}"`);
          }
        }
        for (const s of day.sessions) {
          const text = await (await fetch(s.record_url)).text();
          const checked = checkPlaylist(text, `session ${c.mount} ${s.time}`, problems);
          if (checked && !checked.ended) problems.push(`session ${s.time}: no ENDLIST`);
          if (checked) {
            dayFirst = Math.min(dayFirst, checked.segments[0].startMs);
            const last = checked.segments.at(-1)!;
            camLast = Math.max(camLast, last.startMs + last.durationMs);
          }
          decode.push(s.record_url);
        }
        const dayText = await (await fetch(day.day_url)).text();
        const checked = checkPlaylist(dayText, `day ${c.mount} ${date}`, problems);
        assert(checked?.ended, "the day playlist is VOD once every session closed");
        decode.push(day.day_url);
        const from = new Date(dayFirst + 5000).toISOString();
        const fromText = await (await fetch(`${day.day_url}?from=${from}`)).text();
        const start = checkPlaylist(fromText, `day ?from ${c.mount}`, problems)?.start;
        if (start === undefined || Math.abs(start - 5) > 0.01) {
          problems.push(`day ?from=${from}: EXT-X-START ${start}, expected 5`);
        }
        camFirst = Math.min(camFirst, dayFirst);
        sessions += day.sessions.length;
      }
      if (c.gid === 1 && c.seq === 1) assertEquals(sessions, 2, `camera 1's sessions on ${days}`);
      const exportUrl = `${nvr.base}/api/export/gid/${c.gid}/seq/${c.seq}/span.m3u8?from=${
        camFirst - 60_000
      }&to=${camLast + 60_000}`;
      const exportText = await (await fetch(exportUrl)).text();
      checkPlaylist(exportText, `export ${c.mount}`, problems);
      decode.push(exportUrl);
    }
    // Decoded two at a time (the CPU hog is stopped by now).
    for (let i = 0; i < decode.length; i += 2) {
      const batch = decode.slice(i, i + 2);
      for (
        const [j, errors] of (await Promise.all(batch.map((url) => ffmpegErrors(url)))).entries()
      ) {
        if (errors) {
          problems.push(`ffmpeg ${batch[j]}: ${errors.split("\n").slice(0, 3).join(" | ")}`);
        }
      }
    }
    assertEquals(problems, []);
  } finally {
    polling = false;
    await stopHog?.();
    await rc.stop();
  }
}

Deno.test("HLS conformance on a calm box", () => conformance(false));
Deno.test("HLS conformance under a CPU hog on every core", () => conformance(true));
