/**
 * Low-Latency HLS of the live view with the real recorder, the real RTSP server and real
 * HTTP: the playlist passes a strict parser and the HLS rules, its parts stay within the part
 * target, a blocking reload answers once the part asked for exists, a segment is its parts'
 * bytes and plays (ffprobe) for as long as its EXTINF says, an H.265 camera's stream is
 * HEVC, and bad requests get a 4xx with a JSON body.
 */
import HLS from "hls-parser";
import { join } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";
import { ffprobe } from "../support/harness.ts";
import { checkPlaylist } from "../support/hls_rules.ts";
import { startRecording } from "../support/recording_camera.ts";

type Media = InstanceType<typeof HLS.types.MediaPlaylist>;

Deno.test("LL-HLS: playlist rules, parts, blocking reload, segments that play; H.265 too", async () => {
  const rc = await startRecording({
    rtsp: { size: "640x360" },
    cameras: [{ seq: 1, mount: "h264" }, { seq: 2, mount: "h265" }],
  });
  const { nvr } = rc;
  const dir = await Deno.makeTempDir();
  const get = async (path: string) => {
    const r = await fetch(nvr.base + path);
    return { status: r.status, type: r.headers.get("content-type"), bytes: await r.bytes() };
  };
  const playlist = async (path: string) => {
    const r = await get(path);
    assertEquals([r.status, r.type], [200, "application/vnd.apple.mpegurl"], path);
    const text = new TextDecoder().decode(r.bytes);
    return { text, parsed: HLS.parse(text) as Media };
  };
  try {
    await rc.segments(1);
    // The first request starts the live muxer and waits for its first part.
    let { text, parsed } = await playlist("/1/1/ll/index.m3u8");
    const deadline = Date.now() + 20_000;
    while (parsed.segments.filter((s) => s.uri).length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      ({ text, parsed } = await playlist("/1/1/ll/index.m3u8"));
    }
    const problems: string[] = [];
    checkPlaylist(text, "LL-HLS", problems);
    assertEquals(problems, []);
    assert(parsed.lowLatencyCompatibility?.canBlockReload, text);
    const partTarget = parsed.partTargetDuration!;
    assert(partTarget > 0 && partTarget <= 1, text);
    const parts = parsed.segments.flatMap((s) => s.parts.filter((p) => !p.hint));
    assert(parts.length >= 4, text);
    for (const p of parts) assert(p.duration! <= partTarget + 1e-9, `${p.uri}: ${p.duration}`);

    // Blocking reload: the part after the newest one listed.
    const open = parsed.segments.at(-1)!;
    const msn = open.mediaSequenceNumber;
    const next = open.uri ? [msn + 1, 0] : [msn, open.parts.filter((p) => !p.hint).length];
    const waited = await playlist(`/1/1/ll/index.m3u8?_HLS_msn=${next[0]}&_HLS_part=${next[1]}`);
    assert(
      waited.text.includes(`URI="${next[0]}.${next[1]}.m4s"`) ||
        waited.parsed.segments.some((s) => s.mediaSequenceNumber > next[0]),
      `part ${next.join(".")} listed:\n${waited.text}`,
    );

    // A whole segment: the bytes of its parts, and it plays for its EXTINF.
    const whole = parsed.segments.find((s) => s.uri && s.parts.length > 0)!;
    const seg = await get(`/1/1/ll/${whole.uri}`);
    assertEquals([seg.status, seg.type], [200, "video/mp4"]);
    const partBytes: number[] = [];
    for (const p of whole.parts) {
      const r = await get(`/1/1/ll/${p.uri}`);
      assertEquals(r.status, 200, p.uri);
      partBytes.push(...r.bytes);
    }
    assertEquals(seg.bytes.length, partBytes.length);
    assert(seg.bytes.every((b, i) => b === partBytes[i]), "segment = its parts");
    const init = await get(`/1/1/ll/${whole.map.uri}`);
    assertEquals(init.status, 200);
    const file = join(dir, "segment.mp4");
    await Deno.writeFile(file, new Uint8Array([...init.bytes, ...seg.bytes]));
    const [codec, frames, rate] = (await ffprobe([
      ...["-count_frames", "-select_streams", "v"],
      ...["-show_entries", "stream=codec_name,nb_read_frames,r_frame_rate", "-of", "csv=p=0"],
      file,
    ])).trim().split(",");
    const [num, den] = rate.split("/").map(Number);
    assertEquals(codec, "h264");
    assertEquals(Number(frames), Math.round(whole.duration * num / den), `frames in ${whole.uri}`);

    // An H.265 camera: its own stream, HEVC.
    const h265 = await playlist("/1/2/ll/index.m3u8");
    const map = h265.parsed.segments[0].map.uri;
    const hinit = await get(`/1/2/ll/${map}`);
    const firstPart = h265.parsed.segments[0].parts[0];
    const hpart = await get(`/1/2/ll/${firstPart.uri}`);
    await Deno.writeFile(join(dir, "h265.mp4"), new Uint8Array([...hinit.bytes, ...hpart.bytes]));
    const hcodec = await ffprobe([
      ...["-select_streams", "v", "-show_entries", "stream=codec_name", "-of", "csv=p=0"],
      join(dir, "h265.mp4"),
    ]);
    assertEquals(hcodec.trim(), "hevc");

    // Bad requests: a clear 4xx with a JSON body.
    const bad = async (path: string, status: number, says: RegExp) => {
      const r = await nvr.api("GET", path);
      assertEquals(r.status, status, path);
      assert(says.test(JSON.stringify(r.json)), `${path}: ${JSON.stringify(r.json)}`);
    };
    await bad("/1/1/ll/index.m3u8?_HLS_msn=abc", 400, /_HLS_msn/);
    await bad("/1/1/ll/index.m3u8?_HLS_part=1", 400, /_HLS_part needs _HLS_msn/);
    await bad(`/1/1/ll/index.m3u8?_HLS_msn=${msn + 1000}`, 400, /too far ahead/);
    await bad("/9/9/ll/index.m3u8", 404, /not found/);
    await bad("/1/1/ll/0.0.js", 404, /not found/);
    await bad("/1/1/ll/1.999.m4s", 404, /not found/);
  } finally {
    await rc.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
