/** rtmp:// and http(s):// (HLS, MJPEG) sources: what parseSource accepts, and their argv. */
import { parseSource } from "../../../src/recorder/source_url.ts";
import { maskSecrets, maskUrl } from "../../../src/util/redact.ts";
import { buildPipelineArgs } from "../../../src/recorder/pipeline.ts";
import { pipelineSpec } from "../../support/pipeline_spec.ts";
import { MJPEG_ASSUMED_FPS } from "../../../src/recorder/pipeline/network_sources.ts";
import { assert, assertEquals, assertThrows } from "../../support/assert.ts";

const spec = pipelineSpec;

/** The bare words of an argv that name elements (not properties, caps, links or flags). */
const elements = (args: string[]) => args.filter((a) => /^[a-z0-9]+$/.test(a));

/** Every quoted property value is one whole `name="…"` argument with no inner quote. */
function assertQuoted(args: string[]) {
  for (const a of args) {
    if (a.includes('"')) assert(/^[a-z-]+="[^"\\]*"$/.test(a), a);
  }
}

Deno.test("parseSource: rtmp, HLS and MJPEG kinds; credentials taken out of the location", () => {
  assertEquals(parseSource("rtmp://10.0.0.5:1935/live/cam?key=abc"), {
    kind: "rtmp",
    location: "rtmp://10.0.0.5:1935/live/cam?key=abc",
    user: undefined,
    password: undefined,
  });
  assertEquals(parseSource("https://ad%40min:p%3Ass@relay.lan/cams/door/index.M3U8"), {
    kind: "hls",
    location: "https://relay.lan/cams/door/index.M3U8",
    user: "ad@min",
    password: "p:ss",
  });
  for (
    const path of [
      "/video.mjpg",
      "/mjpg/video.cgi",
      "/axis-cgi/mjpg/video.cgi?fps=5",
      "/?action=stream",
    ]
  ) {
    const s = parseSource(`http://admin:pw@192.168.0.9:8080${path}`);
    assertEquals(
      [s.kind, s.location, s.user, s.password],
      ["mjpeg", `http://192.168.0.9:8080${path}`, "admin", "pw"],
    );
  }
  // The playlist is recognised by the path, not by the query.
  assertEquals(parseSource("http://cam/stream.cgi?format=.m3u8").kind, "mjpeg");
  assertEquals(parseSource("http://cam/live.m3u8?token=1").kind, "hls");
});

Deno.test("parseSource refuses rtmps, rtmp credentials, bare http hosts and unknown schemes", () => {
  assertThrows(() => parseSource("rtmps://cam/live/x"), /rtmps:\/\/ is not supported/);
  assertThrows(() => parseSource("rtmp://u:p@cam/live/x"), /rtmp:\/\/ credentials/);
  assertThrows(() => parseSource("http://cam"), /needs the stream's path/);
  assertThrows(() => parseSource("https://cam/"), /needs the stream's path/);
  assertThrows(() => parseSource("rtmp:///live/cam"), /no host/);
  assertThrows(
    () => parseSource("ftp://cam/x"),
    /"ftp:" is not supported \(use rtsp:\/\/, rtsps:\/\/, rtmp:\/\/, http\(s\):\/\/ for HLS/,
  );
  // The forbidden-character rules hold for the new schemes too.
  assertThrows(() => parseSource('http://cam/a"b.mjpg'), /must not contain/);
  assertThrows(() => parseSource("rtmp://cam/live/a b"), /must not contain/);
  assertThrows(() => parseSource("http://u:%22@cam/v.mjpg"), /credentials/);
  assertThrows(() => parseSource("http://u:%5C@cam/v.mjpg"), /credentials/);
  assertThrows(() => parseSource("http://u:%0A@cam/v.mjpg"), /credentials/);
});

Deno.test("passwords of http cameras are masked in URLs and souphttpsrc properties", () => {
  assertEquals(maskUrl("http://admin:s3cr%21t@cam/video.mjpg"), "http://admin:***@cam/video.mjpg");
  assertEquals(maskUrl("https://a:b@relay/x/live.m3u8"), "https://a:***@relay/x/live.m3u8");
  const args = buildPipelineArgs(spec("http://admin:s3cr%21t%20pw@cam/video.mjpg"));
  const masked = maskSecrets(args.join(" "));
  assert(!masked.includes("s3cr"), masked);
});

Deno.test("argv for an RTMP camera: rtmpsrc, flvdemux named demux, H.264 always", () => {
  for (const codec of ["h264", "h265"] as const) {
    const args = buildPipelineArgs(spec("rtmp://10.0.0.5/live/cam", { codec }));
    assert(args.includes('location="rtmp://10.0.0.5/live/cam"'), args.join(" "));
    assert(args.includes("name=demux"));
    assertEquals(elements(args).slice(0, 4), ["rtmpsrc", "flvdemux", "queue", "h264parse"]);
    // Until the pipeline records audio, FLV's audio pad is drained into the audio probe
    // (else: not-linked), whose caps tell what the audio is.
    const drain = args.indexOf("demux.audio");
    assertEquals(args.slice(drain, drain + 8), [
      "demux.audio",
      "!",
      "queue",
      "!",
      "fakesink",
      "name=audioprobe",
      "sync=false",
      "async=false",
    ]);
  }
  // With an audio branch, the audio pad is left to it.
  const withAudio = buildPipelineArgs(
    spec("rtmp://10.0.0.5/live/cam", { audio: { from: "demux", format: "aac" } }),
  );
  assert(!withAudio.includes("demux.audio") && !withAudio.includes("fakesink"));
  assert(withAudio.includes("aacparse") && withAudio.includes("mux.audio_0"));
});

Deno.test("argv for an HLS camera: credentials as properties, parser by codec, TLS checked", () => {
  const args = buildPipelineArgs(
    spec("https://admin:s3cr%21t@relay.lan/cam/live.m3u8", { codec: "h265" }),
  );
  assert(args.includes('location="https://relay.lan/cam/live.m3u8"'), args.join(" "));
  assert(args.includes('user-id="admin"') && args.includes('user-pw="s3cr!t"'));
  assert(args.includes("ssl-strict=true"), "https checks the certificate");
  assert(!args.some((a) => a.startsWith("location=") && a.includes("s3cr")));
  assertEquals(elements(args).slice(0, 5), [
    "souphttpsrc",
    "hlsdemux",
    "tsdemux",
    "queue",
    "h265parse",
  ]);
  assert(args.includes("name=demux") && args.includes("config-interval=-1"));
  assert(!args.some((a) => /x264enc|dec$/.test(a)), "stream copy");
  const h264 = buildPipelineArgs(spec("http://relay.lan/cam/live.m3u8"));
  assert(h264.includes("h264parse") && !h264.includes("ssl-strict=true"));
  assert(!h264.some((a) => a.startsWith("user-")), "no credentials, no properties");
});

Deno.test("argv for an MJPEG camera: decoded JPEG encoded to H.264, a keyframe per segment", () => {
  const args = buildPipelineArgs(spec("http://admin:pw@cam:8080/mjpg/video.cgi?res=half"));
  assert(args.includes('location="http://cam:8080/mjpg/video.cgi?res=half"'), args.join(" "));
  assert(args.includes('user-id="admin"') && args.includes('user-pw="pw"'));
  assert(args.includes("is-live=true") && args.includes("do-timestamp=true"));
  assert(args.includes("image/jpeg"));
  assertEquals(elements(args).slice(0, 7), [
    "souphttpsrc",
    "multipartdemux",
    "jpegparse",
    "jpegdec",
    "videoconvert",
    "x264enc",
    "h264parse",
  ]);
  assert(args.includes(`key-int-max=${MJPEG_ASSUMED_FPS * 2}`), "GOP of at least a segment");
  assert(!args.includes("clockoverlay"), "no time burned in unless overlay mode");
  const overlay = buildPipelineArgs(spec("http://cam/video.mjpg", { mode: "overlay" }));
  assert(overlay.includes("clockoverlay") && !overlay.some((a) => /^avdec/.test(a)));
});

Deno.test("hostile network iaddr values stay one quoted property value", () => {
  const hostile = [
    "http://cam/a!b.mjpg",
    "http://cam/x.mjpg?a=1!fakesink%20name=evil",
    "http://u:p!x%20y%20!%20filesink%20location=%2Ftmp%2Fpwn@cam/v.mjpg",
    "https://u:name=evil@cam/a!b/live.m3u8",
    "rtmp://cam/live/x!filesink?location=/etc/passwd",
    "rtmp://cam/live/x'!filesink",
  ];
  const expected: Record<string, string[]> = {
    mjpeg: ["souphttpsrc", "multipartdemux", "jpegparse", "jpegdec", "videoconvert", "x264enc"],
    hls: ["souphttpsrc", "hlsdemux", "tsdemux", "queue", "h264parse", "watchdog"],
    rtmp: ["rtmpsrc", "flvdemux", "queue", "h264parse", "watchdog", "queue"],
  };
  for (const iaddr of hostile) {
    const s = spec(iaddr);
    const args = buildPipelineArgs(s);
    assertQuoted(args);
    assertEquals(
      args.filter((a) => a.startsWith("location=")).length,
      2,
      "only the source and splitmuxsink have a location",
    );
    assertEquals(elements(args).slice(0, 6), expected[s.source.kind], iaddr);
    assertEquals(elements(args).filter((e) => e === "filesink").length, 0, iaddr);
  }
  const pw = buildPipelineArgs(
    spec("http://u:p!x%20y%20!%20filesink%20location=%2Ftmp%2Fpwn@cam/v.mjpg"),
  );
  assert(pw.includes('user-pw="p!x y ! filesink location=/tmp/pwn"'), pw.join(" "));
});
