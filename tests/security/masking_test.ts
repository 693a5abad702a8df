/**
 * Regression: a camera password containing an apostrophe was shown unmasked in
 * GET /api/camera, the pages and log lines (maskSecrets' URL pattern stopped the password
 * at `'` and then did not match at all). The password part now runs to `@`.
 */
import { parseSource } from "../../src/recorder/source_url.ts";
import { maskSecrets, maskUrl } from "../../src/util/redact.ts";
import { cameraView } from "../../src/api/camera_routes.ts";
import { createUrls } from "../../src/api/urls.ts";
import type { CameraView } from "../../src/cameras/service.ts";
import { createLogger } from "../../src/log.ts";
import { assert, assertEquals } from "../support/assert.ts";

Deno.test({
  name: "a password with an apostrophe is masked",
  fn() {
    const iaddr = `rtsp://op:${encodeURIComponent("s3cr'et!")}@10.0.0.5/h264`;
    assertEquals(parseSource(iaddr).password, "s3cr'et!", "accepted as a source");
    assertEquals(maskUrl(iaddr), "rtsp://op:***@10.0.0.5/h264");
    assert(!maskSecrets(`{"iaddr":"${iaddr}"}`).includes("s3cr"), "log line masked");
  },
});

/**
 * Regression (issue 10, defect 3): `rtsp://admin:s3cr@TopSecretTail@host/…` was shown as
 * `admin:***@TopSecretTail@…`: the mask stopped at the first `@`, the URL parser takes the
 * password up to the last `@` of the authority. Every case below is checked against the URL
 * parser itself: the masked URL has the same user, host, port and path, and password `***`.
 */
const TRICKY = [
  "rtsp://admin:s3cr@TopSecretTail@10.0.0.5/h264",
  "rtsp://ad@min:p@ss@w0rdTail@cam.example:8554/live?ch=1",
  "rtsps://u:pa:ssTail@host/x",
  "http://u:a@b:cTail@10.0.0.9/video.mjpg",
  "https://u:Tail@@host/s.m3u8",
];

Deno.test("a password with @ (or :) is masked exactly as the URL parser splits it", () => {
  for (const iaddr of TRICKY) {
    const given = new URL(iaddr);
    assert(parseSource(iaddr).password!.includes("Tail"), `${iaddr}: accepted as a source`);
    const masked = maskUrl(iaddr);
    assert(!masked.includes("Tail"), `${iaddr} → ${masked}`);
    const u = new URL(masked);
    assertEquals(
      [u.username, u.password, u.host, u.pathname, u.search],
      [given.username, "***", given.host, given.pathname, given.search],
      `${iaddr} → ${masked}`,
    );
    // The same in a JSON log line, in a text log line and in an error message.
    for (
      const text of [
        JSON.stringify({ msg: "camera added", iaddr }),
        `iaddr=${iaddr} name=x`,
        `Could not open resource (${iaddr}), retrying`,
      ]
    ) {
      const out = maskSecrets(text);
      assert(!out.includes("Tail"), `${text} → ${out}`);
      assert(out.includes(`${given.host}`), `host kept: ${out}`);
    }
  }
});

Deno.test("secret-looking query parameters are masked in logs and messages", () => {
  const text = maskSecrets(
    'failed: rtsp://cam/live?apikey=K3Y&ch=1&token=T0K&auth=A&X-Amz-Signature=S1G&sig=S2 "ok"',
  );
  assertEquals(
    text,
    'failed: rtsp://cam/live?apikey=***&ch=1&token=***&auth=***&X-Amz-Signature=***&sig=*** "ok"',
  );
  assertEquals(
    maskSecrets("http://h/v.m3u8?password=p&key=k"),
    "http://h/v.m3u8?password=***&key=***",
  );
});

Deno.test("the logger, the API's camera view and argv in JSON lines show no part of it", () => {
  const iaddr = TRICKY[0];
  const lines: string[] = [];
  const log = createLogger("json", {}, (l) => lines.push(l));
  log.info("camera added", { iaddr });
  log.error("request failed", { error: `Error: cannot reach ${iaddr}` });
  log.warn("child", { argv: 'rtspsrc location="rtsp://10.0.0.5/h264" user-pw="s3cr@Top Tail"' });
  createLogger("text", {}, (l) => lines.push(l)).info("camera added", { iaddr });
  for (const l of lines) assert(!/Tail|s3cr/.test(l), l);
  const view = cameraView(createUrls("http://nvr"), "http://nvr", {
    gid: 1,
    seq: 1,
    name: "n",
    iaddr,
    protocol: "rtsp",
    isRec: 0,
    inserted: "",
    updated: "",
    status: { state: "failed", since: 0, reconnects: 0, segments: 0, lastError: `at ${iaddr}` },
  } as unknown as CameraView);
  assertEquals(view.iaddr, "rtsp://admin:***@10.0.0.5/h264");
  assert(!JSON.stringify(view).includes("Tail"), JSON.stringify(view));
});
