/** The soak's load: live HLS players that fetch like hls.js, and API clients that hammer. */

export interface LoadStats {
  playlists: number;
  segments: number;
  segmentBytes: number;
  api: number;
  /** Responses with status >= 500 or network errors, by what was asked. */
  failures: Record<string, number>;
  /** Hostile calls answered with anything but a 4xx JSON body. */
  badRejections: number;
}

export const newStats = (): LoadStats => ({
  playlists: 0,
  segments: 0,
  segmentBytes: 0,
  api: 0,
  failures: {},
  badRejections: 0,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fail = (s: LoadStats, what: string) => (s.failures[what] = (s.failures[what] ?? 0) + 1);

/** One live player: reloads the playlist about once per segment and downloads each new segment. */
export async function player(url: string, stats: LoadStats, running: () => boolean) {
  const seen = new Set<string>();
  while (running()) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (res.status >= 500) fail(stats, "playlist");
      const text = await res.text();
      stats.playlists++;
      const uris = text.split("\n").filter((l) => l && !l.startsWith("#"));
      for (const uri of uris.slice(-2)) {
        if (seen.has(uri)) continue;
        seen.add(uri);
        const seg = await fetch(new URL(uri, url), { signal: AbortSignal.timeout(10_000) });
        if (!seg.ok) fail(stats, `segment ${seg.status}`);
        stats.segmentBytes += (await seg.arrayBuffer()).byteLength;
        stats.segments++;
      }
      if (seen.size > 200) seen.clear();
    } catch {
      fail(stats, "player network");
    }
    await sleep(1000);
  }
}

const HOSTILE: [string, string, string | undefined][] = [
  ["POST", "/api/camera", "{not json"],
  ["POST", "/api/camera", JSON.stringify({ seq: -1, gid: "x" })],
  ["PUT", "/api/camera", JSON.stringify({ seq: 1e12, b_gid: 1, gid: 1 })],
  ["GET", "/api/camera/seq/-1/gid/99999999999", undefined],
  ["GET", "/1/1/hls/..%2f..%2fdata", undefined],
  ["GET", "/api/export/gid/1/seq/1/span.mp4?from=9&to=1", undefined],
];

/** One API client: reads cameras and recordings, and sends a hostile call now and then. */
export async function apiClient(
  base: string,
  cams: { gid: number; seq: number }[],
  stats: LoadStats,
  running: () => boolean,
) {
  let i = 0;
  const today = new Date().toLocaleDateString("sv-SE");
  while (running()) {
    const c = cams[i % cams.length];
    const calls: [string, string, string | undefined][] = [
      ["GET", "/api/camera", undefined],
      ["GET", `/api/camera/seq/${c.seq}/gid/${c.gid}`, undefined],
      ["GET", `/api/recordings/gid/${c.gid}/seq/${c.seq}/days`, undefined],
      ["GET", `/api/recordings/gid/${c.gid}/seq/${c.seq}/date/${today}`, undefined],
      HOSTILE[i % HOSTILE.length],
    ];
    for (const [j, [method, path, body]] of calls.entries()) {
      try {
        const res = await fetch(base + path, {
          method,
          body,
          headers: body ? { "content-type": "application/json" } : {},
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        stats.api++;
        if (res.status >= 500) fail(stats, `${method} ${path.split("?")[0]} ${res.status}`);
        const hostile = j === calls.length - 1;
        if (hostile && (res.status < 400 || res.status >= 500 || !text.startsWith("{"))) {
          stats.badRejections++;
        }
      } catch {
        fail(stats, "api network");
      }
    }
    i++;
    await sleep(250);
  }
}
