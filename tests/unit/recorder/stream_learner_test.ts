import { StreamLearner } from "../../../src/recorder/stream_learner.ts";
import { parseStreamCaps } from "../../../src/recorder/stream_caps.ts";
import { buildPipelineArgs } from "../../../src/recorder/pipeline.ts";
import { pipelineSpec } from "../../support/pipeline_spec.ts";
import { assert, assertEquals } from "../../support/assert.ts";

// Lines as `gst-launch-1.0 -v` printed them here (shortened after the fields that matter).
const RTSP = "/GstPipeline:pipeline0/GstRTSPSrc:src/GstRtpBin:manager.GstGhostPad:recv_rtp_sink_";
const VIDEO_H264 =
  `${RTSP}0.GstProxyPad:proxypad1: caps = application/x-rtp, media=(string)video, ` +
  `payload=(int)96, clock-rate=(int)90000, encoding-name=(string)H264, packetization-mode=(string)1`;
const VIDEO_H265 = VIDEO_H264.replace("H264", "H265");
const AUDIO_AAC =
  `${RTSP}1.GstProxyPad:proxypad4: caps = application/x-rtp, media=(string)audio, ` +
  `payload=(int)97, clock-rate=(int)44100, encoding-name=(string)MPEG4-GENERIC, mode=(string)AAC-hbr`;
const AUDIO_PCMU =
  `${RTSP}1.GstProxyPad:proxypad3: caps = application/x-rtp, media=(string)audio, ` +
  `payload=(int)0, clock-rate=(int)8000, encoding-name=(string)PCMU, a-tool=(string)GStreamer`;
const PROBE_AAC = "/GstPipeline:pipeline0/GstFakeSink:audioprobe.GstPad:sink: caps = audio/mpeg, " +
  "mpegversion=(int)4, framed=(boolean)true, stream-format=(string)raw, rate=(int)44100";
const ENCODER = "/GstPipeline:pipeline0/GstX264Enc:x264enc0.GstPad:src: caps = video/x-h264, " +
  "codec_data=(buffer)01";

Deno.test("caps lines: only the source's own streams count", () => {
  assertEquals(parseStreamCaps(VIDEO_H265), { media: "video", codec: "h265" });
  assertEquals(parseStreamCaps(AUDIO_AAC), {
    media: "audio",
    audio: { from: "src", format: "aac" },
  });
  assertEquals(parseStreamCaps(AUDIO_PCMU), {
    media: "audio",
    audio: { from: "src", format: "pcmu" },
  });
  assertEquals(parseStreamCaps(PROBE_AAC), {
    media: "audio",
    audio: { from: "demux", format: "aac" },
  });
  assertEquals(parseStreamCaps(ENCODER), undefined, "our own encoder's output");
  assertEquals(parseStreamCaps(AUDIO_AAC.replace("MPEG4-GENERIC", "OPUS")), undefined);
  assertEquals(parseStreamCaps("Got message #12 from element ..."), undefined);
});

Deno.test("audio found: the run restarts once with an audio branch, and records it", () => {
  const l = new StreamLearner("rtsp");
  assertEquals(l.newRun(), { codec: "h264", audio: undefined });
  assertEquals(l.onLine(VIDEO_H264), undefined, "the expected codec");
  assertEquals(l.onLine(AUDIO_AAC), "audio track found (aac)");
  assertEquals(l.onLine(AUDIO_AAC), undefined, "the restart is asked for once");
  assertEquals(l.afterRun("restart", 0), "audio track found (aac)");
  assertEquals(l.newRun(), { codec: "h264", audio: { from: "src", format: "aac" } });
  assertEquals(l.onLine(AUDIO_AAC), undefined, "already recorded");
  assertEquals(l.afterRun("src: Could not connect", 0), undefined, "outage: keeps audio");
  assertEquals(l.newRun().audio?.format, "aac");
});

Deno.test("audio announced but never sent: video only from then on (video is never lost)", () => {
  const l = new StreamLearner("rtsp");
  l.newRun();
  l.onLine(AUDIO_PCMU);
  l.afterRun(undefined, 0);
  assertEquals(l.newRun().audio?.format, "pcmu");
  l.onLine(VIDEO_H264);
  assertEquals(
    l.afterRun("watchdog0: Watchdog triggered", 0),
    "audio announced but none arrived: recording video only",
  );
  assertEquals(l.newRun().audio, undefined);
  assertEquals(l.onLine(AUDIO_PCMU), undefined, "not tried again");
});

Deno.test("codec: learnt from the caps at once, or from not-linked before any segment", () => {
  const l = new StreamLearner("rtsp");
  l.newRun();
  assertEquals(l.onLine(VIDEO_H265), "stream is h265");
  l.afterRun("restart", 0);
  assertEquals(l.newRun().codec, "h265");
  assertEquals(
    l.afterRun("src: Internal data stream error. (reason not-linked (-1))", 3),
    undefined,
  );
  assertEquals(
    l.afterRun("src: Internal data stream error. (reason not-linked (-1))", 0),
    "trying h264",
  );
  assertEquals(
    l.afterRun("watchdog0: Watchdog triggered", 0),
    undefined,
    "RTSP: a stall is no codec",
  );
  l.afterRun("not-linked", 0);
  assertEquals(
    l.afterRun("not-linked", 0),
    undefined,
    "two tries in a row, then the usual backoff",
  );
  assertEquals(l.afterRun("not-linked", 1), undefined);
  assertEquals(l.afterRun("not-linked", 0), "trying h264", "a segment resets the tries");
  const fixed = new StreamLearner("mjpeg");
  fixed.newRun();
  assertEquals([fixed.onLine(AUDIO_AAC), fixed.afterRun("not-linked", 0)], [undefined, undefined]);
});

Deno.test("demuxed sources: a stall before any segment tries the other codec first", () => {
  // HLS H.265 behind an H.264 caps filter: the audio probe keeps tsdemux going, so the
  // run ends by the watchdog, not not-linked. The codec is tried before audio is blamed.
  const l = new StreamLearner("hls");
  l.newRun();
  assertEquals(l.onLine(PROBE_AAC), "audio track found (aac)");
  l.afterRun("restart", 0);
  assertEquals(l.newRun(), { codec: "h264", audio: { from: "demux", format: "aac" } });
  assertEquals(l.afterRun("watchdog0: Watchdog triggered", 0), "trying h265");
  assertEquals(l.newRun(), { codec: "h265", audio: { from: "demux", format: "aac" } });
  assertEquals(l.afterRun(undefined, 5), undefined);
  const rtmp = new StreamLearner("rtmp");
  rtmp.newRun();
  assertEquals(rtmp.afterRun("not-linked", 0), undefined, "FLV is H.264 only: no guessing");
});

const spec = pipelineSpec("rtsp://cam/1");

Deno.test("pipeline: AAC is copied, G.711 becomes AAC, segments get slack for audio", () => {
  const aac = buildPipelineArgs({ ...spec, audio: { from: "src", format: "aac" } }).join(" ");
  assert(
    aac.includes(
      "src. ! application/x-rtp,media=audio,encoding-name=MPEG4-GENERIC ! rtpmp4gdepay ! aacparse ! queue ! mux.audio_0 splitmuxsink",
    ),
    aac,
  );
  assert(aac.includes("max-size-time=2250000000"), aac);
  const pcma = buildPipelineArgs({ ...spec, audio: { from: "src", format: "pcma" } }).join(" ");
  assert(pcma.includes("rtppcmadepay ! alawdec ! audioconvert ! audioresample ! voaacenc"), pcma);
  const none = buildPipelineArgs(spec).join(" ");
  assert(!none.includes("audio") && none.includes("max-size-time=2000000000"), none);
  // Whole frames, nothing before the first IDR, frame times from RTP, no extra queue.
  assert(
    none.includes(
      "rtph264depay wait-for-keyframe=true ! h264parse config-interval=-1 ! video/x-h264,alignment=au ! watchdog timeout=8000 ! mux.video",
    ),
    none,
  );
  assert(none.includes(" buffer-mode=none "), none);
  const h265 = buildPipelineArgs({ ...spec, codec: "h265" }).join(" ");
  assert(
    h265.includes("rtph265depay ! h265parse config-interval=-1 ! video/x-h265,alignment=au !"),
    h265,
  );
  assert(none.startsWith("-m -e -v --exclude=stats "), "caps are printed (how streams are learnt)");
  const file = buildPipelineArgs({ ...spec, source: { kind: "file", location: "/c/a.mp4" } })
    .join(" ");
  assert(
    file.includes(
      "demux. ! audio/mpeg,mpegversion={2,4} ! queue ! fakesink name=audioprobe sync=false async=false",
    ),
    file,
  );
});
