import { parseSource } from "../../../src/recorder/source_url.ts";
import { buildPipelineArgs } from "../../../src/recorder/pipeline.ts";
import { pipelineSpec } from "../../support/pipeline_spec.ts";
import { assert, assertEquals, assertThrows } from "../../support/assert.ts";

const spec = pipelineSpec;

Deno.test("argv for an RTSP camera: stream copy, credentials as properties, not in location", () => {
  const args = buildPipelineArgs(spec("rtsp://admin:s3cr%21t@192.168.0.101:554/video1"));
  assertEquals(args.slice(0, 2), ["-m", "-e"]);
  assert(args.includes('location="rtsp://192.168.0.101:554/video1"'), args.join(" "));
  assert(args.includes('user-id="admin"'));
  assert(args.includes('user-pw="s3cr!t"'));
  assert(args.includes('protocols="tcp"'));
  assert(args.includes("rtph264depay") && args.includes("h264parse"));
  assert(!args.some((a) => /x264enc|decodebin/.test(a)), "no decode or encode in copy mode");
  assert(args.includes('location="/media/1/2/hls/abc_%05d.ts"'));
  assert(args.includes("max-size-time=2000000000"));
});

Deno.test("argv for H.265 uses the H.265 depayloader and parser", () => {
  const args = buildPipelineArgs(spec("rtsp://cam/x", { codec: "h265" }));
  assert(args.includes("rtph265depay") && args.includes("h265parse"));
  assert(args.includes("application/x-rtp,media=video,encoding-name=H265"));
});

Deno.test("hostile iaddr values stay one quoted property value", () => {
  for (
    const iaddr of [
      "rtsp://cam/a!b",
      "rtsp://cam/x name=evil",
      "rtsp://cam/x'!filesink",
      "rtsp://u:p!x%20y@cam/x?location=/etc/passwd",
    ]
  ) {
    let args: string[];
    try {
      args = buildPipelineArgs(spec(iaddr));
    } catch {
      continue; // refused is fine
    }
    const location = args.filter((a) => a.startsWith("location="));
    assertEquals(location.length, 2, "only rtspsrc and splitmuxsink have a location");
    for (const a of args) {
      if (a.includes("=") && a.includes('"')) assert(/^[a-z-]+="[^"\\]*"$/.test(a), a);
    }
    // Elements are exactly the intended ones, whatever the URL says.
    const elements = args.filter((a) => /^[a-z0-9]+$/.test(a));
    assertEquals(elements, [
      "rtspsrc",
      "rtph264depay",
      "h264parse",
      "watchdog",
      "splitmuxsink",
    ]);
  }
});

Deno.test("iaddr with quotes, backslashes, whitespace or control characters is refused", () => {
  for (
    const bad of [
      'rtsp://cam/a"b',
      "rtsp://cam/a\\b",
      "rtsp://cam/a b",
      "rtsp://cam/a\nb",
      "rtsp://cam/\u0001",
    ]
  ) {
    assertThrows(() => parseSource(bad), /must not contain/);
  }
  assertThrows(() => parseSource('rtsp://us"er:pw@cam/'), /must not contain/);
  assertThrows(() => parseSource("rtsp://u:%22@cam/"), /credentials/);
  assertThrows(() => parseSource("file:///etc/passwd"), /must end in/); // not a video file
  assertThrows(() => parseSource("ftp://cam/x"), /not supported/);
  assertThrows(() => parseSource("not a url"), /must not contain|not a valid URL/);
});

Deno.test("a test:// source encodes synthetic video with a keyframe every segment", () => {
  const args = buildPipelineArgs(spec("test://ball"));
  assert(args.includes("videotestsrc") && args.includes('pattern="ball"'));
  assert(args.includes("key-int-max=30"));
  assertThrows(() => parseSource("test://evil"), /pattern/);
});

Deno.test("overlay mode decodes, burns in the time and encodes H.264 with a segment-long GOP", () => {
  const args = buildPipelineArgs({
    ...spec("rtsp://cam/x"),
    codec: "h265",
    mode: "overlay",
    timeFormat: "%d.%m.%Y %H:%M:%S",
    transport: "udp",
  });
  const text = args.join(" ");
  assert(text.includes('protocols="udp"'), text);
  assert(
    text.includes(
      'h265parse config-interval=-1 ! avdec_h265 ! videoconvert ! video/x-raw,format=I420 ! clockoverlay time-format="%d.%m.%Y %H:%M:%S"',
    ),
    text,
  );
  assert(
    text.includes("x264enc tune=zerolatency speed-preset=ultrafast key-int-max=50 ! h264parse"),
  );
  assert(text.includes("send-keyframe-requests=true"), "keyframes at segment boundaries");
});

Deno.test("tap branches hang off a tee of the recorded frames; none: no tee", () => {
  const plain = buildPipelineArgs(spec("rtsp://cam/x"));
  assert(!plain.includes("tee"), "no tee without branches");
  const args = buildPipelineArgs({
    ...spec("rtsp://cam/x"),
    branches: [["queue", "leaky=downstream", "!", "fakesink", "name=a"], ["fakesink", "name=b"]],
  });
  const text = args.join(" ");
  assert(
    text.includes("watchdog timeout=8000 ! tee name=frames ! mux.video frames. ! queue"),
    text,
  );
  assert(text.includes("name=a frames. ! fakesink name=b"), text);
  assert(text.indexOf("name=b") < text.indexOf("splitmuxsink"), "branches before the sink");
});
