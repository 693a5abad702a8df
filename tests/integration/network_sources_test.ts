/**
 * Cameras pulled over RTMP, HLS (H.264 and H.265) and MJPEG (HTTP), each from a real
 * server: the recorder records them, the recordings decode (MJPEG encoded to H.264),
 * their durations match the wall clock, and credentials reach the camera as HTTP
 * authentication (Basic, Digest), never the API or the logs.
 */
import { assert, assertEquals } from "../support/assert.ts";
import {
  closedPlaylist,
  decodeFrames,
  ffprobe,
  Nvr,
  playlistSegments,
  probe,
  waitFor,
} from "../support/harness.ts";
import { HlsOrigin } from "../support/hls_origin.ts";
import { MjpegServer } from "../support/mjpeg_server.ts";
import { RtmpServer } from "../support/rtmp_server.ts";

const GID = 7;
const PASSWORD = "s3cr!t pw";
const CREDS = "admin:s3cr!t%20pw";
/** Segments each recording camera must close before its recording is checked. */
const SEGMENTS = 13;
/** The first segments are left out of the timing (start-up, HLS's initial fragments). */
const SKIP = 3;

/** ffprobe's answer for the first video frame or stream of a file, as CSV fields. */
async function ffprobeCsv(url: string, args: string[]): Promise<string[]> {
  const out = await ffprobe(["-select_streams", "v:0", ...args, "-of", "csv=p=0", url], 20_000);
  return out.trim().split("\n")[0].split(",").filter((f) => f);
}

const firstFrame = (url: string) =>
  ffprobeCsv(url, ["-read_intervals", "%+#1", "-show_entries", "frame=key_frame,pict_type"]);

const extinfs = (playlist: string) =>
  [...playlist.matchAll(/^#EXTINF:([\d.]+)/gm)].map((m) => Number(m[1]));

/** Wall-clock times at which each camera's segment counter reached 1, 2, 3, … */
class SegmentClock {
  readonly closedAt = new Map<number, number[]>();
  #timer: ReturnType<typeof setInterval>;

  constructor(nvr: Nvr) {
    this.#timer = setInterval(async () => {
      const now = Date.now();
      const list = (await nvr.api("GET", "/api/camera")).json;
      if (!Array.isArray(list)) return;
      for (const c of list) {
        const times = this.closedAt.get(c.seq) ?? [now];
        while (times.length <= c.segments) times.push(now);
        this.closedAt.set(c.seq, times);
      }
    }, 100);
  }

  count(seq: number): number {
    return (this.closedAt.get(seq)?.length ?? 1) - 1;
  }

  stop() {
    clearInterval(this.#timer);
  }
}

interface Recorded {
  url: string;
  durations: number[];
  segments: string[];
}

/** Turns recording off and returns the closed session's playlist. */
async function stopRecording(nvr: Nvr, seq: number): Promise<Recorded> {
  const off = await nvr.api("PUT", "/api/camera/record/status", { seq, gid: GID, isRec: 0 });
  assertEquals(off.status, 200);
  const url = off.json.record_url as string;
  const text = await closedPlaylist(url);
  return { url, durations: extinfs(text), segments: await playlistSegments(url) };
}

/**
 * The recorded durations of segments SKIP+1…n against the wall time between the
 * moments segment SKIP and segment n closed: within 10%, plus 0.2 s for the two polls.
 */
function assertWallDurations(name: string, rec: Recorded, clock: SegmentClock, seq: number) {
  const times = clock.closedAt.get(seq)!;
  const n = Math.min(rec.durations.length, times.length - 1);
  assert(n >= SEGMENTS - 1, `${name}: ${n} segments recorded`);
  const wall = (times[n] - times[SKIP]) / 1000;
  const recorded = rec.durations.slice(SKIP, n).reduce((a, b) => a + b, 0);
  console.log(
    `${name}: ${n} segments, segments ${SKIP + 1}–${n}: recorded ${recorded.toFixed(2)} s, ` +
      `wall ${wall.toFixed(2)} s; durations ${rec.durations.join(" ")}`,
  );
  assert(
    Math.abs(recorded - wall) <= 0.1 * wall + 0.2,
    `${name}: recorded ${recorded} s over ${wall} s of wall time`,
  );
}

Deno.test("RTMP, HLS (H.264, H.265) and MJPEG cameras record with wall-clock durations; credentials stay secret", async () => {
  const t0 = Date.now();
  const rtmp = new RtmpServer();
  const hls = new HlsOrigin({ user: "admin", password: PASSWORD });
  const hevc = new HlsOrigin({ codec: "h265", audio: false });
  // 4:2:2 JPEGs, as many cameras send: the recording must still be 4:2:0 (playable).
  const mjpeg = new MjpegServer({ user: "admin", password: PASSWORD, format: "Y42B" });
  const digest = new MjpegServer({ user: "admin", password: PASSWORD, digest: true });
  const nvr = new Nvr({ segmentSeconds: 1 });
  let clock: SegmentClock | undefined;
  try {
    await Promise.all(
      [rtmp.start(), hls.start(), hevc.start(), mjpeg.start(), digest.start(), nvr.start()],
    );
    const add = (seq: number, protocol: string, iaddr: string, isRec = 1) =>
      nvr.api("POST", "/api/camera", { seq, gid: GID, name: protocol, iaddr, protocol, isRec });
    clock = new SegmentClock(nvr);
    assertEquals((await add(1, "rtmp", rtmp.url())).status, 201);
    assertEquals((await add(2, "hls", hls.url(CREDS))).status, 201);
    assertEquals((await add(3, "http", mjpeg.url("/video.mjpg", CREDS))).status, 201);
    assertEquals((await add(4, "http", digest.url("/mjpg/video.cgi", CREDS), 0)).status, 201);
    assertEquals((await add(5, "http", mjpeg.url("/video.mjpg", "admin:wrong"), 0)).status, 201);
    assertEquals((await add(6, "hls", hevc.url(), 0)).status, 201);
    const refused = await add(9, "rtmp", `rtmps://127.0.0.1:${rtmp.port}/live/cam`);
    assertEquals([refused.status, refused.json.fields?.[0]?.field], [400, "iaddr"]);

    const cam = async (seq: number) =>
      (await nvr.api("GET", `/api/camera/seq/${seq}/gid/${GID}`)).json;
    await waitFor(
      () => [1, 2, 3].every((seq) => clock!.count(seq) >= SEGMENTS),
      `${SEGMENTS} segments from each recording camera`,
      40_000,
      100,
    ).catch(async (err) => {
      const states = (await nvr.api("GET", "/api/camera")).json.map((
        c: { seq: number; state: string; segments: number; last_error: string },
      ) => `${c.seq}: ${c.state}, ${c.segments} segments, ${c.last_error}`);
      throw new Error(`${err.message}\n${states.join("\n")}\n${nvr.logs.slice(-20).join("\n")}`);
    });
    const [fromRtmp, fromHls, fromMjpeg] = await Promise.all(
      [1, 2, 3].map((seq) => stopRecording(nvr, seq)),
    );
    clock.stop();

    // Durations match the wall clock; every recording decodes as H.264 (decoded at once).
    const decoded = [fromRtmp, fromHls, fromMjpeg].map((rec) => decodeFrames(rec.url));
    decoded.forEach((p) => p.catch(() => {})); // awaited below, one by one
    for (
      const [name, seq, rec, fps, audio] of [
        ["rtmp", 1, fromRtmp, 10, "aac"],
        ["hls", 2, fromHls, 10, "aac"],
        ["mjpeg", 3, fromMjpeg, 5, undefined],
      ] as const
    ) {
      assertWallDurations(name, rec, clock, seq);
      // The source's AAC is kept: learnt from the audio probe, usually before the first
      // segment; on a loaded box a demuxer may add its audio pad after the first run closed
      // a segment or two, which stay recorded (video only), and every run after has AAC.
      const tracks = (await Promise.all(rec.segments.map(probe))).map((t) =>
        `${t.codec}+${t.audio}`
      );
      const learnt = audio ? tracks.findIndex((t) => t === `h264+${audio}`) : 0;
      assert(learnt >= 0 && learnt <= 3, `${name}: audio from a first run's end: ${tracks}`);
      assertEquals(
        tracks.slice(learnt),
        tracks.slice(learnt).map(() => `h264+${audio}`),
        name,
      );
      assertEquals(tracks.slice(0, learnt), tracks.slice(0, learnt).map(() => "h264+undefined"));
      assertEquals((await cam(seq)).audio, audio ?? null, name);
      const frames = await decoded[seq - 1];
      const seconds = rec.durations.reduce((a, b) => a + b, 0);
      console.log(`${name}: ${frames} frames decoded for ${seconds.toFixed(2)} s`);
      assert(Math.abs(frames - fps * seconds) <= 0.1 * fps * seconds + fps, `${name}: ${frames}`);
    }
    assertEquals((await cam(1)).codec, "h264");

    // MJPEG is encoded: a keyframe opens every segment (each decodes on its own), the
    // segments are as long as asked (the encoder honours splitmuxsink's keyframe
    // requests), and 4:2:2 JPEGs become 4:2:0 H.264 (what browsers decode).
    const perSegment = await Promise.all(
      fromMjpeg.segments.map(async (s) => [await firstFrame(s), await decodeFrames(s)] as const),
    );
    for (const [i, [first, frames]] of perSegment.entries()) {
      assertEquals(first, ["1", "I"], `mjpeg segment ${i} starts with a keyframe`);
      assert(frames >= 3, `mjpeg segment ${i} decodes on its own`);
    }
    assert(
      fromMjpeg.durations.slice(1, -1).every((d) => d > 0.5 && d < 1.5),
      `mjpeg segments of 1 s: ${fromMjpeg.durations}`,
    );
    const stream = await ffprobeCsv(fromMjpeg.segments[0], [
      "-show_entries",
      "stream=pix_fmt,profile",
    ]);
    // yuvj420p: 4:2:0 with JPEG's full-range levels kept (flagged in the H.264 stream).
    assert(stream.some((f) => /^yuvj?420p$/.test(f)), `4:2:0: ${stream}`);
    assert(!stream.some((f) => /4:2:2/.test(f)), `not a 4:2:2 profile: ${stream}`);

    // Digest authentication works; every camera's newest live segment decodes.
    await waitFor(async () => (await cam(4)).segments >= 2, "the digest camera to stream");
    assert(digest.requests.some((r) => r.authorization?.startsWith("Digest ")), "digest used");
    for (const seq of [1, 2, 3, 4]) {
      const live = await playlistSegments(`${nvr.base}/${GID}/${seq}/hls/index.m3u8`);
      assert((await decodeFrames(live.at(-1)!)) >= 3, `camera ${seq}'s live segment decodes`);
    }

    // An H.265 HLS stream: the first guess (H.264) fails, the other codec is tried.
    const h265 = await waitFor(async () => {
      const c = await cam(6);
      return c.segments >= 2 ? c : undefined;
    }, "the H.265 HLS camera to stream");
    assertEquals(h265.codec, "h265");
    const hevcLive = await playlistSegments(`${nvr.base}/${GID}/6/hls/index.m3u8`);
    assertEquals((await probe(hevcLive.at(-1)!)).codec, "hevc");
    assert((await decodeFrames(hevcLive.at(-1)!)) >= 3, "H.265 live segment decodes");

    // HLS fragments were fetched with the credentials too.
    const fragments = hls.requests.filter((r) => r.path.endsWith(".ts"));
    assert(fragments.length >= SEGMENTS, `${fragments.length} fragments fetched`);
    assert(fragments.every((r) => r.authorization?.startsWith("Basic ")), "fragments authorized");

    // A wrong password is sent (as a header) and refused: the camera fails, records
    // nothing, and its reason does not show the password.
    const wrong = await waitFor(async () => {
      const c = await cam(5);
      return c.state === "failed" && c.last_error ? c : undefined;
    }, "the wrong password to fail");
    assertEquals(wrong.segments, 0);
    assert(!wrong.last_error.includes("wrong"), wrong.last_error);
    const wrongHeader = `Basic ${btoa("admin:wrong")}`;
    assert(mjpeg.requests.some((r) => r.authorization === wrongHeader), "wrong password sent");

    // Credentials: in the Authorization header only, never in a URL, the API or the logs.
    for (const r of [...mjpeg.requests, ...digest.requests, ...hls.requests]) {
      assert(!r.path.includes("s3cr") && !r.path.includes("admin"), r.path);
    }
    const listing = JSON.stringify((await nvr.api("GET", "/api/camera")).json);
    assert(!listing.includes("s3cr") && !listing.includes("wrong"), "password in the API");
    assert(listing.includes(`http://admin:***@127.0.0.1:${mjpeg.port}/video.mjpg`), listing);
    assert(!nvr.logs.join("\n").includes("s3cr"), "password in the logs");
    console.log(`network sources test: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    clock?.stop();
    await nvr.stop();
    await Promise.all([rtmp.stop(), hls.stop(), hevc.stop(), mjpeg.stop(), digest.stop()]);
  }
});
