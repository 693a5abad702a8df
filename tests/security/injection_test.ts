/**
 * What reaches GStreamer is exactly what was meant: the argv of the spawned
 * gst-launch-1.0, read from /proc/<pid>/cmdline, for a source whose path, query and
 * credentials are full of pipeline and shell syntax. And the camera's password never
 * shows in any response, page, metrics or log line.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";
import { gstProcessesMentioning, Nvr, RtspServer, waitFor } from "../support/harness.ts";

const USER = "op er";
// No "'" here: a password with one is not masked (see masking_test.ts, a known bug).
const PASSWORD = "p!ss;$(touch x)`id`|&>w";
const enc = encodeURIComponent;

async function argvOf(pid: number): Promise<string[]> {
  const raw = await Deno.readTextFile(`/proc/${pid}/cmdline`);
  return raw.split("\0").slice(0, -1);
}

Deno.test({
  name: "pipeline injection: the child's argv is exactly as intended; credentials never leak",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const rtsp = await new RtspServer({ user: USER, password: PASSWORD }).start();
    const nvr = await new Nvr({ segmentSeconds: 1 }).start();
    const planted = join(nvr.dataDir, "pwned");
    try {
      const good = `rtsp://${enc(USER)}:${enc(PASSWORD)}@127.0.0.1:${rtsp.port}/h264`;
      const hostilePath =
        `/h264/x!y;z$(id)/location=${planted}?a=!&b=%22%20!%20filesink%20location=${planted}`;
      const hostile = `rtsp://${enc(USER)}:${enc(PASSWORD)}@127.0.0.1:${rtsp.port}${hostilePath}`;
      // The hostile camera's child fails fast and is restarted with a growing backoff:
      // watch from before the cameras are added, catching each argv while it runs.
      const seen = new Map<string, string[]>();
      const collecting = waitFor(
        async () => {
          for (const pid of await gstProcessesMentioning(nvr.mediaRoot)) {
            const argv = await argvOf(pid).catch(() => []);
            const loc = argv.find((a) => a.startsWith('location="rtsp'));
            if (loc) seen.set(loc.endsWith('/h264"') ? "benign" : "evil", argv);
          }
          return seen.size === 2;
        },
        "both children's argv",
        30_000,
        10,
      );
      for (const [seq, iaddr] of [[1, good], [2, hostile]] as const) {
        const r = await nvr.api("POST", "/api/camera", {
          seq,
          gid: 3,
          name: `cam" ! filesink location=${planted} name="x`,
          iaddr,
          protocol: "rtsp",
          isRec: 1,
        });
        assertEquals(r.status, 201, JSON.stringify(r.json));
      }
      // The well-formed camera records through the credentials passed as properties.
      await waitFor(
        async () => (await nvr.api("GET", "/api/camera/seq/1/gid/3")).json.segments >= 2,
        "camera with credentials to record",
        30_000,
      );
      await collecting;
      const benign = seen.get("benign")!, evil = seen.get("evil")!;
      const expectedLocation = `location="rtsp://127.0.0.1:${rtsp.port}${hostilePath}"`;
      assertEquals(evil.filter((a) => a.startsWith('location="rtsp')), [expectedLocation]);
      // Same shape token by token: only the source location, the output folder and the
      // motion detector's frame folder (both per camera) differ.
      assertEquals(evil.length, benign.length, "same number of argv entries");
      const differ = evil.flatMap((a, i) => (a === benign[i] ? [] : [i]));
      assertEquals(differ.map((i) => evil[i].split("=")[0]), ["location", "location", "location"]);
      assert(evil.includes(`user-id="${USER}"`) && evil.includes(`user-pw="${PASSWORD}"`));
      assertEquals(evil.filter((a) => a === "!").length, benign.filter((a) => a === "!").length);
      assert(!evil.some((a) => a === "filesink"), "no element added");
      assert(/(^|\/)gst-launch-1.0$/.test(evil[0]), evil[0]);

      // Let the hostile child run (it fails and is restarted), then nothing was written.
      await new Promise((r) => setTimeout(r, 3000));
      await Deno.stat(planted).then(
        () => assert(false, "a file was planted"),
        () => {},
      );

      // The password is in no answer, page, metrics or log line.
      const needles = [PASSWORD, enc(PASSWORD)];
      const bodies: [string, string][] = [];
      for (
        const path of [
          "/api/camera",
          "/api/camera/seq/1/gid/3",
          "/api/camera/seq/2/gid/3",
          "/",
          "/cameras",
          "/recordings",
          "/metrics",
          "/api/health",
          "/api/recordings/gid/3/seq/1/days",
        ]
      ) {
        const res = await fetch(nvr.base + path);
        bodies.push([path, await res.text()]);
      }
      const edit = await nvr.api("PUT", "/api/camera", {
        seq: 1,
        b_gid: 3,
        gid: 3,
        name: "renamed",
        iaddr: `rtsp://${enc(USER)}:***@127.0.0.1:${rtsp.port}/h264`,
        protocol: "rtsp",
        isRec: 1,
      });
      assertEquals(edit.status, 200, "edit with the masked password keeps it");
      bodies.push(["PUT /api/camera", JSON.stringify(edit.json)]);
      for (const [where, text] of [...bodies, ["logs", nvr.logs.join("\n")] as [string, string]]) {
        for (const n of needles) assert(!text.includes(n), `${where} shows the password`);
      }
      const list = (await nvr.api("GET", "/api/camera")).json;
      assert(list.every((c: { iaddr: string }) => c.iaddr.includes(":***@")), "masked iaddr");
    } finally {
      await nvr.stop();
      await rtsp.stop();
    }
  },
});

Deno.test("local paths and non-camera schemes are refused as sources", async () => {
  const nvr = await new Nvr().start();
  try {
    for (
      const iaddr of [
        "file:///etc/passwd",
        "file://localhost/etc/shadow",
        "/etc/passwd",
        "../media/1",
        "http://h/",
        "rtmps://h/live",
        "rtmp://u:p@h/live",
        "udp://239.0.0.1:5000",
        "srt://h:9000",
        "v4l2:///dev/video0",
        "appsink://x",
        "data:text/plain,x",
        "rtsp://",
        "test://../../etc",
      ]
    ) {
      const r = await nvr.api("POST", "/api/camera", {
        seq: 1,
        gid: 1,
        name: "x",
        iaddr,
        protocol: "file",
        isRec: 1,
      });
      assertEquals([r.status, r.json.fields?.[0]?.field], [400, "iaddr"], iaddr);
    }
    assertEquals((await nvr.api("GET", "/api/camera")).json, []);
  } finally {
    await nvr.stop();
  }
});
