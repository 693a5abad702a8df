import { isNotLinked, parseBusLine, summarizeError } from "../../../src/recorder/bus.ts";
import { assertEquals } from "../../support/assert.ts";

Deno.test("fragment messages from splitmuxsink are parsed (plain and quoted locations)", () => {
  assertEquals(
    parseBusLine(
      'Got message #201 from element "splitmuxsink0" (element): splitmuxsink-fragment-closed, location=(string)m1/seg00000.ts, running-time=(guint64)2042346588, sink=(GstElement)"\\(GstFileSink\\)\\ sink";',
    ),
    { type: "fragment-closed", location: "m1/seg00000.ts", runningTimeNs: 2042346588 },
  );
  assertEquals(
    parseBusLine(
      'Got message #297 from element "mux" (element): splitmuxsink-fragment-opened, location=(string)"/tmp/a\\!b\\ c00001.ts", running-time=(guint64)1038362721, sink=(GstElement)"\\(GstFileSink\\)\\ sink";',
    ),
    { type: "fragment-opened", location: "/tmp/a!b c00001.ts", runningTimeNs: 1038362721 },
  );
  assertEquals(parseBusLine('Got EOS from element "pipeline0".'), { type: "eos" });
  assertEquals(parseBusLine("Setting pipeline to PAUSED ..."), undefined);
});

Deno.test("stderr errors are summarised with their detail line", () => {
  const lines = [
    "ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:src: Not found",
    "Additional debug info:",
    "../gst/rtsp/gstrtspsrc.c(6895): gst_rtspsrc_send (): /GstPipeline:pipeline0/GstRTSPSrc:src:",
    "Not Found (404)",
    "ERROR: pipeline doesn't want to preroll.",
  ];
  assertEquals(summarizeError(lines), "src: Not found (Not Found (404))");
  const notLinked = summarizeError([
    "ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:src: Internal data stream error.",
    "Additional debug info:",
    "../gst/rtsp/gstrtspsrc.c(6403): gst_rtspsrc_loop (): /GstPipeline:pipeline0/GstRTSPSrc:src:",
    "streaming stopped, reason not-linked (-1)",
  ]);
  assertEquals(isNotLinked(notLinked), true);
  assertEquals(summarizeError(["Setting pipeline to NULL ..."]), undefined);
});
