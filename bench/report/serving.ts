/** Sections 3, 4 and 6 of RESULTS.md: serving the API, the index at scale, playback start. */
import type { Results } from "../results.ts";
import { f, mb, ratio, row } from "./format.ts";

/** 3. API under load (wrk) against a bare Deno.serve. */
export function apiSection(r: Results): string[] {
  const out = ["## 3. API under load", ""];
  if (r.api.length) {
    out.push(
      `wrk, 2 threads, ${r.options.apiConnections} connections, ${r.options.apiS} s per ` +
        "target, loopback, against a recorder with 4 recording cameras; baseline = a bare " +
        "`Deno.serve` (bench/static_server.ts) returning the same bodies from memory, except " +
        "for the segment: a bare `Deno.serve` file server (open, fstat, stream the same file " +
        "from disk per request). wrk and the server share the machine's cores.",
      "",
      row([
        "Target",
        "Body (KB)",
        "NVR req/s",
        "p50 (ms)",
        "p99 (ms)",
        "Baseline req/s",
        "p50",
        "p99",
        "req/s ratio",
        "Errors",
      ]),
      row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
      ...r.api.map((a) =>
        row([
          a.name,
          f(a.bytes / 1e3, 1),
          f(a.nvr.rps, 0),
          f(a.nvr.p50Ms, 2),
          f(a.nvr.p99Ms, 2),
          f(a.baseline.rps, 0),
          f(a.baseline.p50Ms, 2),
          f(a.baseline.p99Ms, 2),
          ratio(a.nvr.rps, a.baseline.rps),
          a.nvr.errors,
        ])
      ),
      "",
    );
  } else out.push("Not run.", "");
  return out;
}

/** 4. Index at scale: start-up and queries over a year of synthetic history. */
export function scaleSection(r: Results): string[] {
  const out = ["## 4. Index at scale", ""];
  if (r.scale.length) {
    const year = r.scale.find((s) => s.label === "1 year");
    out.push(
      `Synthetic history in the recorder's layout: ${r.options.scaleCameras} cameras × ` +
        `${r.options.scaleDays} days × ${r.options.sessionsPerDay} sessions/day, each with its ` +
        "session.json; one day of camera 1 is complete (playlists + 43,200 hard-linked 2 s " +
        "segments). Baseline: the same cameras with one day. Start-up = spawn → log line " +
        "`catalog rebuilt from disk`; rebuild = `listening` → that line. Warm page cache. " +
        "Queries: sequential GETs, 200 each (day playlist: 10).",
      "",
      row([
        "History",
        "Sessions",
        "Start-up (ms)",
        "Rebuild (ms)",
        "RSS (MB)",
        "days p50/p99 (ms)",
        "date p50/p99 (ms)",
        "Day playlist p50 (ms)",
        "Day playlist (MB)",
      ]),
      row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
      ...r.scale.map((s) =>
        row([
          s.label,
          s.sessions,
          f(s.readyMs, 0),
          f(s.rebuildMs, 0),
          f(s.rssMb, 0),
          `${f(s.days.p50Ms, 2)} / ${f(s.days.p99Ms, 2)}`,
          `${f(s.date.p50Ms, 2)} / ${f(s.date.p99Ms, 2)}`,
          s.dayPlaylist ? f(s.dayPlaylist.p50Ms, 0) : "–",
          s.dayPlaylist ? mb(s.dayPlaylist.bytes) : "–",
        ])
      ),
      "",
    );
    if (year?.shortPlaylist) {
      out.push(
        `One-minute day playlist for comparison: ${f(year.shortPlaylist.p50Ms, 1)} ms, ` +
          `${f(year.shortPlaylist.bytes / 1e3, 1)} KB.`,
        "",
      );
    }
  } else out.push("Not run.", "");
  return out;
}

/** 6. Playback start in headless Chromium + hls.js. */
export function playbackSection(r: Results): string[] {
  const out = ["## 6. Playback start", ""];
  if (r.playback.length) {
    out.push(
      "Headless Chromium + hls.js, fresh browser context each: `loadSource(day playlist)` → " +
        "first frame presented (`requestVideoFrameCallback`); bytes = Resource Timing body " +
        "sizes of everything fetched before that frame.",
      "",
      row([
        "Recording",
        "First frame (ms)",
        "Playlist fetch (ms)",
        "Playlist (KB)",
        "Downloaded before 1st frame (MB)",
        "Requests",
        "Note",
      ]),
      row(["---", "---:", "---:", "---:", "---:", "---:", "---"]),
      ...r.playback.map((p) =>
        row([
          p.label,
          f(p.firstFrameMs, 0),
          f(p.playlistMs, 0),
          f(p.playlistBytes / 1e3, 1),
          mb(p.bytesBefore),
          p.requestsBefore,
          p.error ?? "",
        ])
      ),
      "",
    );
  } else out.push("Not run.", "");
  return out;
}
