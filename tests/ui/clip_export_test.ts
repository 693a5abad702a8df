/**
 * "Download MP4" in headless Chromium: the link carries the export's file name, a click
 * saves the MP4 under it, and a failed export shows the server's status and message
 * instead of saving the JSON error as a file. A fixed day (no dependence on today).
 */
import { assert, assertEquals } from "../support/assert.ts";
import { startRecording } from "../support/recording_camera.ts";
import { exportFileName } from "../../src/api/export_name.ts";
import { launch, openPage, pageErrors } from "./browser.ts";
import { at, endUiTest, makeSegments, plantSession } from "./fixtures.ts";

const DAY = "2026-03-14";
const NAME = "Front door";

Deno.test({
  name: "UI: Download MP4 saves the file under its name, or shows the server's error",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const segs = await makeSegments(30);
    // A camera that never connects (nothing listens there): its recordings still show.
    const rc = await startRecording({
      rtsp: false,
      cameras: [{ name: NAME, iaddr: "rtsp://127.0.0.1:9/none", isRec: 0 }],
      segments: 0,
      beforeStart: ({ mediaRoot }) => plantSession(mediaRoot, 1, 1, DAY, "10:00:00", 30, segs), // 10:00:00–10:01:00
    });
    const { nvr } = rc;
    const browser = await launch();
    try {
      const page = await openPage(browser, `${nvr.base}/recordings?cam=1-1&date=${DAY}`);
      const downloads: string[] = [];
      page.on("download", (d) => downloads.push(d.suggestedFilename()));
      await page.waitForSelector(".timeline .span");
      const [fromInput, toInput] = [
        page.locator(".clip input").nth(0),
        page.locator(".clip input").nth(1),
      ];
      const link = page.locator(".clip a", { hasText: "Download MP4" });

      // A span with recordings: the link names the file, the click saves that file.
      await fromInput.fill("10:00:10");
      await toInput.fill("10:00:40");
      const name = exportFileName(NAME, 1, 1, at(DAY, "10:00:10"), at(DAY, "10:00:40"));
      assertEquals(name, "Front-door_20260314-100010_100040.mp4");
      assertEquals(await link.getAttribute("download"), name);
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      assertEquals(download.suggestedFilename(), name);
      const saved = await Deno.readFile((await download.path())!);
      assertEquals(new TextDecoder().decode(saved.slice(4, 8)), "ftyp", "an MP4");
      assertEquals(await page.locator(".clip-error").count(), 0);

      // A span without recordings: the server's 404 and message, and no file.
      await fromInput.fill("11:00:00");
      await toInput.fill("11:00:30");
      await link.click();
      const error = page.locator(".clip [role=alert]");
      await error.waitFor({ timeout: 10_000 });
      const text = (await error.textContent())!;
      assert(text.includes("404") && text.includes("no recording in this span"), text);
      await page.waitForTimeout(500);
      assertEquals(downloads, [name], "no file saved for the failed export");
      assertEquals(pageErrors(page), []);
      await page.close();
    } finally {
      await endUiTest(browser, rc, segs);
    }
  },
});
