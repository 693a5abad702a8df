/**
 * The archive in headless Chromium, against a real S3 server (Ceph RGW): a day whose first
 * stretch is archive-only (its local files evicted) shows that stretch hatched on the
 * timeline with a text label, and plays from it; a second recorder on the same bucket with
 * no cameras opens on the first one's archive (the recorder picker) and shows its day.
 */
import { AwsClient } from "aws4fetch";
import { join } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";
import { cephAvailable, startCephRgw } from "../support/ceph_rgw.ts";
import { Nvr } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";
import { createLogger } from "../../src/log.ts";
import { systemClock } from "../../src/clock.ts";
import { S3Store } from "../../src/archive/store.ts";
import { Archiver } from "../../src/archive/uploader.ts";
import { readArchiveIndex } from "../../src/storage/archive_index.ts";
import { Catalog } from "../../src/storage/catalog.ts";
import { ARTIFACTS, launch, openPage, pageErrors } from "./browser.ts";
import { makeSegments, plantSession } from "./fixtures.ts";

const DAY = "2026-03-14";
const BUCKET = "ui-archive";

Deno.test({
  name: "UI: archive-only stretches are labelled on the timeline and play; another node's archive",
  ignore: !cephAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const rgw = await startCephRgw();
    const creds = { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey };
    const env = {
      NVR_ARCHIVE_ACCESS_KEY_ID: creds.accessKeyId,
      NVR_ARCHIVE_SECRET_ACCESS_KEY: creds.secretAccessKey,
    };
    const args = (node: string) => [
      `--archive-url=s3://${BUCKET}/fleet`,
      `--archive-endpoint=${rgw.endpoint}`,
      `--node-id=${node}`,
    ];
    const s3 = new AwsClient({ ...creds, service: "s3", region: "us-east-1" });
    await (await s3.fetch(`${rgw.endpoint}/${BUCKET}`, { method: "PUT" })).body?.cancel();
    const segs = await makeSegments(15);
    let rc: Awaited<ReturnType<typeof startRecording>> | undefined;
    let central: Nvr | undefined;
    const browser = await launch();
    try {
      rc = await startRecording({
        rtsp: false,
        cameras: [{ name: "Yard", iaddr: "rtsp://127.0.0.1:9/none", isRec: 0 }],
        segments: 0,
        nvr: { env, extraArgs: args("edge-1") },
        // 10:00:00–10:00:30, archived; its first 20 s leave the disk (archive-only).
        beforeStart: async ({ mediaRoot }) => {
          await plantSession(mediaRoot, 1, 1, DAY, "10:00:00", 15, segs);
          const catalog = new Catalog(mediaRoot);
          await catalog.rebuild();
          const archiver = new Archiver({
            mediaRoot,
            catalog,
            clock: systemClock,
            log: createLogger("json", {}, () => {}),
            store: new S3Store({
              endpoint: rgw.endpoint,
              bucket: BUCKET,
              region: "us-east-1",
              credentials: () => creds,
            }),
            prefix: "fleet",
            node: "edge-1",
            bundleSeconds: 10,
          });
          assert(await archiver.pass(), "archived");
          const dir = join(mediaRoot, "1", "1", DAY, "100000");
          const names = (await readArchiveIndex(dir)).flatMap((b) => b.segments.map((x) => x.name));
          assertEquals(names.length, 15);
          for (const n of names.slice(0, 10)) await Deno.remove(join(dir, n));
        },
      });
      const page = await openPage(browser, `${rc.nvr.base}/recordings?cam=1-1&date=${DAY}`);
      const archived = page.locator(".timeline .span-archive");
      await archived.waitFor();
      assertEquals(await archived.count(), 1);
      assert((await archived.getAttribute("title"))!.includes("(archive only)"));
      assertEquals(await page.locator('.timeline .span[data-where="both"]').count(), 1);
      const legend = (await page.locator(".timeline-legend").textContent())!;
      assert(legend.includes("Archive only: 1 stretch, 20s"), legend);
      assert(legend.includes("On this recorder's disk"), legend);
      // Playing from the archive-only stretch: frames come (the overlay's time moves).
      const box = (await page.locator(".timeline").boundingBox())!;
      const a = (await archived.boundingBox())!;
      await page.mouse.click(a.x + 1, box.y + box.height / 2);
      await page.waitForFunction(
        () => {
          const ms = Number(document.querySelector(".rec-overlay")?.getAttribute("data-ms"));
          return ms > 0 && (document.querySelector("video") as HTMLVideoElement).currentTime > 0.5;
        },
        undefined,
        { timeout: 20_000 },
      );
      assertEquals(pageErrors(page), []);
      await page.locator(".zoom button", { hasText: "10 min" }).click();
      await page.locator(".rec-main").screenshot({ path: `${ARTIFACTS}archive-timeline.png` });
      await page.close();

      // A recorder with no cameras on the same bucket opens on edge-1's archive.
      central = await new Nvr({ env, extraArgs: args("central") }).start();
      const p2 = await openPage(browser, `${central.base}/recordings?date=${DAY}`);
      await p2.locator('.rec-layout[data-node="edge-1"]').waitFor();
      const picker = p2.locator("select").first();
      assertEquals(await picker.inputValue(), "edge-1");
      await p2.waitForURL(/[?&]node=edge-1&cam=1-1&date=2026-03-14$/);
      await p2.locator(".timeline .span-archive").waitFor();
      const legend2 = (await p2.locator(".timeline-legend").textContent())!;
      assert(legend2.includes("Archive only: 1 stretch, 30s"), legend2);
      // It plays that day from the archive (byte ranges of the bundles through central).
      const span = (await p2.locator(".timeline .span-archive").boundingBox())!;
      await p2.mouse.click(span.x + 1, span.y + span.height / 2);
      await p2.waitForFunction(
        () => {
          const ms = Number(document.querySelector(".rec-overlay")?.getAttribute("data-ms"));
          return ms > 0 && (document.querySelector("video") as HTMLVideoElement).currentTime > 0.5;
        },
        undefined,
        { timeout: 20_000 },
      );
      // A reload keeps the node (the URL says it).
      await p2.reload({ waitUntil: "domcontentloaded" });
      await p2.locator('.rec-layout[data-node="edge-1"] .timeline .span-archive').waitFor();
      assertEquals(pageErrors(p2), []);
      await p2.close();
    } finally {
      await browser.close().catch(() => {});
      await central?.stop().catch(() => {});
      await rc?.stop().catch(() => {});
      await rgw.stop();
      await Deno.remove(segs[0].replace(/\/[^/]+$/, ""), { recursive: true }).catch(() => {});
    }
  },
});
