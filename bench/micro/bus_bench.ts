/**
 * Bus line parsing: every line a gst-launch child prints on stdout goes through
 * parseBusLine (fragment messages, state changes, and the `-v` caps lines that are not
 * events). `deno task bench:micro`; results in bench/RESULTS.md.
 */
import { parseBusLine } from "../../src/recorder/bus.ts";

const CLOSED =
  'Got message #201 from element "splitmuxsink0" (element): splitmuxsink-fragment-closed, location=(string)/media/1/1/hls/r1/00042.ts, running-time=(guint64)84042346588, sink=(GstElement)"\\(GstFileSink\\)\\ sink";';
const QUOTED =
  'Got message #297 from element "mux" (element): splitmuxsink-fragment-opened, location=(string)"/media/a\\!b\\ c/00043.ts", running-time=(guint64)86038362721, sink=(GstElement)"\\(GstFileSink\\)\\ sink";';
const STATE =
  'Got message #12 from element "pipeline0" (state-changed): GstMessageStateChanged, old-state=(GstState)GST_STATE_PAUSED, new-state=(GstState)GST_STATE_PLAYING, pending-state=(GstState)GST_STATE_VOID_PENDING;';
const CAPS =
  "/GstPipeline:pipeline0/GstRtpH264Depay:depay.GstPad:src: caps = video/x-h264, stream-format=(string)avc, alignment=(string)au, codec_data=(buffer)0164002affe1001b6764002aacd940780227e5c05a808080a0000003002000000651e30632c001000468ebecb22c, level=(string)4.2, profile=(string)high, width=(int)1920, height=(int)1080, framerate=(fraction)25/1";
/** What one segment's worth of stdout looks like: two fragment messages and caps lines. */
const MIX = [CLOSED, QUOTED, CAPS, CAPS, STATE, "Setting pipeline to PLAYING ..."];

Deno.bench("parseBusLine: fragment-closed", { group: "bus" }, () => {
  parseBusLine(CLOSED);
});
Deno.bench("parseBusLine: fragment-opened, quoted location", { group: "bus" }, () => {
  parseBusLine(QUOTED);
});
Deno.bench("parseBusLine: state change to PLAYING", { group: "bus" }, () => {
  parseBusLine(STATE);
});
Deno.bench("parseBusLine: caps line (not an event)", { group: "bus" }, () => {
  parseBusLine(CAPS);
});
Deno.bench("parseBusLine: 1,000 mixed lines", { group: "bus" }, () => {
  for (let i = 0; i < 1000; i++) parseBusLine(MIX[i % MIX.length]);
});
