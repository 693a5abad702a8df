import { restoreMaskedPassword } from "../../../src/cameras/masked_password.ts";
import { parseSource } from "../../../src/recorder/source_url.ts";
import { maskSecrets, maskUrl } from "../../../src/util/redact.ts";
import { assertEquals, assertThrows } from "../../support/assert.ts";

Deno.test("passwords are masked in URLs and rtspsrc properties", () => {
  assertEquals(
    maskUrl("rtsp://admin:8922@192.168.0.101/video1"),
    "rtsp://admin:***@192.168.0.101/video1",
  );
  assertEquals(maskUrl("rtsp://192.168.0.101/video1"), "rtsp://192.168.0.101/video1");
  assertEquals(
    maskSecrets('Connecting to rtsp://a:b@h/x and user-pw="p w" user-pw=abc'),
    "Connecting to rtsp://a:***@h/x and user-pw=*** user-pw=***",
  );
});

Deno.test("credentials are percent-decoded and removed from the location", () => {
  const s = parseSource("rtsp://ad%40min:p%3Ass@10.0.0.1:8554/live?ch=1");
  assertEquals(s, {
    kind: "rtsp",
    location: "rtsp://10.0.0.1:8554/live?ch=1",
    user: "ad@min",
    password: "p:ss",
  });
});

Deno.test("an edit that sends the masked password back keeps the stored one (same host)", () => {
  const stored = "rtsp://admin:p%40ss@10.0.0.1/video1";
  assertEquals(
    restoreMaskedPassword("rtsp://admin:***@10.0.0.1/video2", stored),
    "rtsp://admin:p%40ss@10.0.0.1/video2",
  );
  assertEquals(
    restoreMaskedPassword("rtsp://admin:new@10.0.0.2/v", stored),
    "rtsp://admin:new@10.0.0.2/v",
  );
  // Another host (tests/security/masked_password_test.ts), or nothing stored: refused.
  assertThrows(() => restoreMaskedPassword("rtsp://admin:***@10.0.0.2/video2", stored));
  assertThrows(() => restoreMaskedPassword("rtsp://admin:***@h/v", "rtsp://h/v"));
});
