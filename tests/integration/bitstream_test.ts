/**
 * What the recorder writes, checked with ffmpeg's tools: every segment starts with a
 * keyframe even when the recorder joins a shared camera mid-GOP (H.264 and H.265), a
 * multi-slice camera's frames are whole (one PES packet each, decoding cleanly), and an
 * audio camera's segments interleave audio with video to their end.
 */
import { assert, assertEquals } from "../support/assert.ts";
import {
  decodeFrames,
  ffprobe,
  killChild,
  type Nvr,
  playlistSegments,
  waitFor,
} from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";

const GID = 7;

/** ffmpeg decoding a file: what it reports at `-v error` (nothing for a clean stream). */
async function decodeErrors(url: string): Promise<string> {
  const out = await new Deno.Command("ffmpeg", {
    args: ["-nostdin", "-v", "error", "-i", url, "-f", "null", "-"],
    stdout: "null",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stderr).trim();
}

/** ffprobe's warnings about a file (e.g. "no PTS found at end of file"). */
async function probeWarnings(url: string): Promise<string> {
  const out = await new Deno.Command("ffprobe", {
    args: ["-v", "warning", url],
    stdout: "null",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stderr).trim();
}

/** Video PES packets in an MPEG-TS file (packets that start one, stream id 0xE0–0xEF). */
function videoPesCount(ts: Uint8Array): number {
  let n = 0;
  for (let at = 0; at + 188 <= ts.length; at += 188) {
    if (ts[at] !== 0x47 || (ts[at + 1] & 0x40) === 0) continue;
    const control = (ts[at + 3] >> 4) & 3;
    if (control === 2) continue;
    const p = at + 4 + (control === 3 ? 1 + ts[at + 4] : 0);
    if (ts[p] === 0 && ts[p + 1] === 0 && ts[p + 2] === 1 && (ts[p + 3] & 0xf0) === 0xe0) n++;
  }
  return n;
}

/** Whether the first video packet of a segment is a keyframe (ffprobe's flags). */
async function firstPacketKey(url: string): Promise<boolean> {
  const out = await ffprobe([
    ...["-select_streams", "v:0", "-read_intervals", "%+#1"],
    ...["-show_entries", "packet=flags", "-of", "csv=p=0", url],
  ]);
  return out.trim().split("\n")[0].startsWith("K");
}

async function liveSegments(nvr: Nvr, seq: number, atLeast: number): Promise<string[]> {
  const url = `${nvr.base}/${GID}/${seq}/hls/index.m3u8`;
  try {
    return await waitFor(
      async () => {
        const segments = await playlistSegments(url).catch(() => []);
        return segments.length >= atLeast ? segments : undefined;
      },
      `${atLeast} live segments of camera ${seq}`,
      60_000,
    );
  } catch (err) {
    const status = (await nvr.api("GET", `/api/camera/seq/${seq}/gid/${GID}`)).json;
    throw new Error(`${(err as Error).message}: ${JSON.stringify(status)}`);
  }
}

Deno.test("segments: keyframe first after a mid-GOP join (H.264, H.265), whole multi-slice frames, audio interleaved", async () => {
  const mounts = ["h264", "h265", "h264aac"];
  let holders: Deno.ChildProcess[] = [];
  const rc = await startRecording({
    // 2 s GOP, every H.264 frame in 4 slices, enough bitrate that a segment is ~0.5 MB.
    rtsp: { gop: 50, slices: 4, size: "640x480", bitrate: 2000 },
    nvr: { segmentSeconds: 2, liveSegments: 20 },
    cameras: mounts.map((mount, i) => ({ seq: i + 1, gid: GID, name: mount, mount, isRec: 0 })),
    segments: 0, // liveSegments() waits for each
    async beforeStart(_nvr, rtsp) {
      // Another client keeps each shared mount playing, so the recorder joins mid-GOP.
      holders = mounts.map((m) =>
        new Deno.Command("gst-launch-1.0", {
          args: ["-q", "rtspsrc", `location=${rtsp.url(m)}`, "protocols=tcp", "!", "fakesink"],
          stdout: "null",
          stderr: "null",
        }).spawn()
      );
      await new Promise((r) => setTimeout(r, 3300)); // 1.3 s into the second GOP
    },
  }).catch(async (err) => {
    for (const h of holders) await killChild(h);
    throw err;
  });
  const { nvr } = rc;
  try {
    /** What is wrong with one live segment (nothing: an empty list). */
    const check = async (mount: string, url: string): Promise<string[]> => {
      const problems: string[] = [];
      const name = `${mount} ${url.split("/hls/")[1]}`;
      if (!(await firstPacketKey(url))) problems.push(`${name}: first packet is not a keyframe`);
      const errors = await decodeErrors(url);
      if (errors) problems.push(`${name}: ffmpeg: ${errors.split("\n")[0]}`);
      const warnings = await probeWarnings(url);
      if (warnings) problems.push(`${name}: ffprobe: ${warnings.split("\n")[0]}`);
      if (mount !== "h265") {
        const pes = videoPesCount(new Uint8Array(await (await fetch(url)).arrayBuffer()));
        const frames = await decodeFrames(url);
        if (pes !== frames) problems.push(`${name}: ${pes} video PES for ${frames} frames`);
      }
      return problems;
    };
    const problems: string[] = [];
    for (const [seq, mount] of [[1, "h264"], [2, "h265"], [3, "h264aac"]] as const) {
      const segments = await liveSegments(nvr, seq, 3);
      // Four segments at a time (each check runs ffprobe and ffmpeg one after another).
      for (let i = 0; i < segments.length; i += 4) {
        const batch = segments.slice(i, i + 4).map((url) => check(mount, url));
        for (const found of await Promise.all(batch)) problems.push(...found);
      }
    }
    assertEquals(problems, []);
    // The audio camera's audio runs to the end of its segments (not all muxed up front).
    const [seg] = await liveSegments(nvr, 3, 3);
    const packets =
      (await ffprobe(["-show_entries", "packet=stream_index,pos", "-of", "csv=p=0", seg]))
        .trim().split("\n").map((l) => l.split(",").map(Number));
    const size = (await (await fetch(seg)).arrayBuffer()).byteLength;
    const lastAudio = Math.max(...packets.filter(([s]) => s === 1).map(([, pos]) => pos));
    assert(lastAudio > size / 2, `last audio packet at ${lastAudio} of ${size} bytes`);
  } finally {
    await rc.stop();
    for (const h of holders) await killChild(h);
  }
});
