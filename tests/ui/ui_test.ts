/**
 * The UI in real headless Chromium against a real recorder fed by a real RTSP
 * server: live wall plays, calendar marks the right days, the timeline seeks where
 * clicked, nothing overflows at phone and desktop widths, names render as text.
 * Screenshots go to tests/artifacts/.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { assert, assertAlmostEquals, assertEquals } from "../support/assert.ts";
import { probe, waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";
import { horizontalOverflow, launch, openPage, pageErrors, screenshot } from "./browser.ts";
import { at, dayFromToday, endUiTest, makeSegments, plantSession, SEG_MS } from "./fixtures.ts";

const XSS = `<img src=x onerror=alert(1)>`;
const YESTERDAY = dayFromToday(-1);
const TODAY = dayFromToday(0);
const OLD_DAY = dayFromToday(-40);
const BIG_DAY = dayFromToday(-2);
const BIG_SEGMENTS = 43_200; // a whole day of 2 s segments

/** [frame ms, currentTime] of the first video under `sel`, read twice `gapMs` apart. */
async function advancing(page: Page, sel: string, attr: string, gapMs = 2500) {
  const read = () =>
    page.evaluate(([s, a]) => {
      const root = document.querySelector(s)!;
      return [
        Number(root.querySelector(a)?.getAttribute("data-ms") || 0),
        root.querySelector("video")!.currentTime,
      ];
    }, [sel, attr]);
  const first = await read();
  await page.waitForTimeout(gapMs);
  const second = await read();
  return { first, second };
}

/** Real 320x180 JPEGs where the thumbnailer puts them: `{date}/thumbs/HHMMSS.jpg`. */
async function plantThumbnails(mediaRoot: string, date: string, times: string[]) {
  const dir = join(mediaRoot, "1", "1", date, "thumbs");
  await Deno.mkdir(dir, { recursive: true });
  for (const [i, t] of times.entries()) {
    const out = await new Deno.Command("gst-launch-1.0", {
      args: [
        "-q",
        "videotestsrc",
        "num-buffers=1",
        `pattern=${i}`,
        "!",
        "video/x-raw,width=320,height=180",
        "!",
        "jpegenc",
        "!",
        "filesink",
        `location=${join(dir, t.replaceAll(":", "") + ".jpg")}`,
      ],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!out.success) throw new Error(`cannot make the thumbnail ${t}`);
  }
}

Deno.test({
  name: "UI in headless Chromium",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const segs = await makeSegments(300);
    const rc = await startRecording({
      rtsp: { fps: 15, gop: 15 },
      nvr: { liveSegments: 6 },
      cameras: [{ gid: 1, name: XSS }, { gid: 2, name: "Yard" }],
      segments: 0,
      async beforeStart({ mediaRoot }) {
        await plantSession(mediaRoot, 1, 1, YESTERDAY, "10:00:00", 300, segs);
        await plantSession(mediaRoot, 1, 1, YESTERDAY, "10:15:00", 150, segs);
        await plantSession(mediaRoot, 1, 1, OLD_DAY, "08:00:00", 30, segs);
        await plantSession(mediaRoot, 1, 1, BIG_DAY, "00:00:00", BIG_SEGMENTS, segs);
        await plantThumbnails(mediaRoot, YESTERDAY, ["10:00:00", "10:05:00", "10:15:00"]);
      },
    });
    const { nvr, rtsp } = rc;
    const browser = await launch();
    const dialogs: string[] = [];
    try {
      await t.step("live tab plays with advancing frame time", async () => {
        const page = await openPage(browser, nvr.base + "/");
        page.on("dialog", (d) => (dialogs.push(d.message()), d.dismiss()));
        const tile = `.tile[data-cam="1-1"]`;
        await waitFor(
          () =>
            page.evaluate(
              (s) => document.querySelector<HTMLVideoElement>(`${s} video`)!.currentTime > 1,
              tile,
            ),
          "live video playing",
          40_000,
          500,
        );
        const { first, second } = await advancing(page, tile, ".frame-time");
        assert(second[1] > first[1], `currentTime advances: ${first[1]} -> ${second[1]}`);
        assert(second[0] > first[0], `frame time advances: ${first[0]} -> ${second[0]}`);
        const latencies: number[] = [];
        for (let i = 0; i < 6; i++) {
          latencies.push(Number(await page.locator(`${tile} .latency`).getAttribute("data-s")));
          await page.waitForTimeout(500);
        }
        console.log(`live latency (s): ${latencies.join(", ")}`);
        assert(Math.max(...latencies) < 10, "live latency under 10 s");
        // A name that looks like markup is shown as text, never parsed.
        assertEquals(await page.locator(`${tile} .tile-name`).textContent(), XSS);
        assertEquals(await page.locator(".tile-name img").count(), 0);
        await screenshot(page, "live-1440");
        await page.locator(`${tile} .tile-view`).click();
        await waitFor(
          () => page.evaluate(() => document.querySelectorAll(".tile").length === 1),
          "large view",
          5000,
        );
        await page.waitForTimeout(2500);
        await screenshot(page, "live-large-1440");
        assertEquals(pageErrors(page), []);
        await page.close();
      });

      await t.step("no horizontal overflow at 390x844 and 1440x900", async () => {
        for (const vp of [{ width: 390, height: 844 }, { width: 1440, height: 900 }]) {
          for (
            const [path, name] of [["/", "live"], [
              `/recordings?cam=1-1&date=${YESTERDAY}`,
              "recordings",
            ], ["/cameras", "cameras"]]
          ) {
            const page = await openPage(browser, nvr.base + path, vp);
            page.on("dialog", (d) => (dialogs.push(d.message()), d.dismiss()));
            await page.waitForTimeout(1500);
            assertEquals(await horizontalOverflow(page), 0, `${path} at ${vp.width}`);
            if (name === "cameras") {
              assertEquals(await page.locator(".cam-name").first().textContent(), XSS);
            }
            await screenshot(page, `${name}-${vp.width}`);
            await page.close();
          }
        }
      });

      await t.step("calendar marks the days with recordings", async () => {
        // Any date: the planted days can lie in earlier months than the one the calendar
        // opens on (YESTERDAY's), and today (live recording) in a later one (on the 1st).
        const page = await openPage(browser, `${nvr.base}/recordings?cam=1-1&date=${YESTERDAY}`);
        const planted = [OLD_DAY, BIG_DAY, YESTERDAY];
        await page.waitForSelector(`.cal-day.has-rec[data-date="${YESTERDAY}"]`);
        const shown = () =>
          page.locator(".cal-day").first().getAttribute("data-date").then((d) => d!.slice(0, 7));
        const seen = new Set<string>();
        const collect = async () => {
          for (
            const d of await page.locator(".cal-day.has-rec").evaluateAll((els) =>
              els.map((e) => (e as HTMLElement).dataset.date!)
            )
          ) seen.add(d);
        };
        const turn = async (button: "Previous month" | "Next month") => {
          const before = await shown();
          await page.getByRole("button", { name: button }).click();
          await waitFor(async () => (await shown()) !== before, `${button} shown`, 5000, 50);
          await collect();
        };
        await collect();
        const opened = await shown();
        while ((await shown()) > OLD_DAY.slice(0, 7)) await turn("Previous month");
        const now = dayFromToday(0); // read now: midnight may have passed since the start
        while ((await shown()) < now.slice(0, 7)) await turn("Next month");
        assert((await shown()) >= opened, "paged forward past the month it opened on");
        const live = [...seen].filter((d) => !planted.includes(d)).sort();
        assertEquals([...seen].filter((d) => planted.includes(d)).sort(), [...planted].sort());
        // The live recording's day: today, and the next day too if midnight passed meanwhile.
        assert(live.length > 0 && live.every((d) => d >= TODAY && d <= now), live.join(","));
        await page.close();
      });

      await t.step("clicking the timeline plays from the clicked time", async () => {
        const page = await openPage(browser, `${nvr.base}/recordings?cam=1-1&date=${YESTERDAY}`);
        await page.waitForSelector(".timeline .span");
        const clickAt = async (ms: number) => {
          const box = (await page.locator(".timeline").boundingBox())!;
          const [s, e] = await page.locator(".timeline").evaluate((
            el,
          ) => [
            Number((el as HTMLElement).dataset.dayStart),
            Number((el as HTMLElement).dataset.dayEnd),
          ]);
          const x = Math.round(box.x + ((ms - s) / (e - s)) * box.width); // whole pixels, as a mouse
          await page.mouse.click(x, box.y + box.height / 2);
          return s + ((x - box.x) / box.width) * (e - s); // the instant the click means
        };
        const overlay = () => page.locator(".rec-overlay").getAttribute("data-ms").then(Number);
        /** Waits for real frames (video advancing), then returns the frame time shown. */
        const frameAfterSeek = async () => {
          const start = await page.evaluate(() => document.querySelector("video")!.currentTime);
          await waitFor(
            () =>
              page.evaluate((s) => {
                const v = document.querySelector<HTMLVideoElement>(".player video")!;
                return !v.seeking && v.readyState >= 3 && v.currentTime !== s && !v.paused;
              }, start),
            "frames after the seek",
            15_000,
            50,
          );
          await page.waitForTimeout(300); // one overlay refresh (250 ms)
          return await overlay();
        };
        const t0 = Date.now();
        const want = await clickAt(at(YESTERDAY, "10:04:00"));
        const shown = await frameAfterSeek();
        console.log(
          `clicked ${new Date(want).toISOString()}, frame shown ${new Date(shown).toISOString()}, ${
            Date.now() - t0
          } ms after the click`,
        );
        assertAlmostEquals(shown, want, SEG_MS + 500, "frame shown is the clicked time");
        const { first, second } = await advancing(page, ".player", ".rec-overlay");
        assert(second[0] > first[0], "recording time advances while playing");
        await screenshot(page, "recordings-seek-1440");
        // A click in the gap (10:10–10:15) plays from the next recording.
        await clickAt(at(YESTERDAY, "10:12:30"));
        const next = at(YESTERDAY, "10:15:00");
        await waitFor(
          async () => Math.abs((await overlay()) - next) < SEG_MS + 1000,
          "snap to next session",
          15_000,
          100,
        );
        assertEquals(pageErrors(page), []);
        await page.close();
      });

      await t.step("thumbnails: a preview on hover, a strip that seeks, at 390 px", async () => {
        const vp = { width: 390, height: 844 };
        const page = await openPage(
          browser,
          `${nvr.base}/recordings?cam=1-1&date=${YESTERDAY}`,
          vp,
        );
        await page.waitForSelector(".thumbs .thumb img");
        await waitFor(
          () =>
            page.evaluate(() =>
              [...document.querySelectorAll<HTMLImageElement>(".thumbs .thumb img")]
                .map((i) => i.complete ? i.naturalWidth : 0).join()
            ).then((w) => w === "320,320,320"),
          "three thumbnails loaded",
          10_000,
          100,
        );
        assertEquals(await page.locator(".thumbs .thumb time").allTextContents(), [
          "10:00:00",
          "10:05:00",
          "10:15:00",
        ]);
        // Hovering 10:04 previews the nearest thumbnail (10:05).
        const box = (await page.locator(".timeline").boundingBox())!;
        const [s, e] = await page.locator(".timeline").evaluate((el) => [
          Number((el as HTMLElement).dataset.dayStart),
          Number((el as HTMLElement).dataset.dayEnd),
        ]);
        const x = box.x + ((at(YESTERDAY, "10:04:00") - s) / (e - s)) * box.width;
        await page.mouse.move(x, box.y + box.height / 2);
        const preview = page.locator(".thumb-preview img");
        await preview.waitFor({ timeout: 5000 });
        assert((await preview.getAttribute("src"))!.endsWith(`/${YESTERDAY}/thumbs/100500.jpg`));
        await page.mouse.move(x, box.y + box.height + 100);
        await page.locator(".thumb-preview").waitFor({ state: "detached", timeout: 5000 });
        // Clicking a thumbnail plays from its time, like a click on the timeline.
        await page.locator(".thumbs .thumb").nth(1).click();
        const want = at(YESTERDAY, "10:05:00");
        await waitFor(
          async () => {
            const ms = Number(await page.locator(".rec-overlay").getAttribute("data-ms"));
            return Math.abs(ms - want) < SEG_MS + 1000;
          },
          "playing from the thumbnail's time",
          15_000,
          100,
        );
        assertEquals(await page.locator(".thumbs .thumb[aria-current]").count(), 1);
        assertEquals(await horizontalOverflow(page), 0, "no overflow with the strip at 390");
        await screenshot(page, "recordings-thumbs-390");
        assertEquals(pageErrors(page), []);
        await page.close();
      });

      await t.step(
        "a camera with audio: recordings play its AAC, sound off until asked",
        async () => {
          const add = await nvr.api("POST", "/api/camera", {
            seq: 1,
            gid: 3,
            name: "Door (audio)",
            iaddr: rtsp.url("h264aac"),
            protocol: "rtsp",
            isRec: 1,
          });
          assertEquals(add.status, 201);
          await waitFor(async () => {
            const c = (await nvr.api("GET", "/api/camera/seq/1/gid/3")).json;
            return c.audio === "aac" && c.segments >= 4;
          }, "the audio camera to record");
          // Its newest day, from the server (today's date changes at midnight, mid-test).
          const days: string[] = (await nvr.api("GET", "/api/recordings/gid/3/seq/1/days")).json
            .days;
          const day = days[days.length - 1];
          const page = await openPage(browser, `${nvr.base}/recordings?cam=3-1&date=${day}`);
          await page.waitForSelector(".timeline .span");
          const sound = page.locator(".controls button", { hasText: /^Sound/ });
          assertEquals(await sound.getAttribute("aria-pressed"), "false");
          await page.locator(".controls button.play").click();
          const media = () =>
            page.evaluate(() => {
              const v = document.querySelector<HTMLVideoElement>(".player video")! as
                & HTMLVideoElement
                & { webkitAudioDecodedByteCount: number };
              return {
                t: v.currentTime,
                muted: v.muted,
                audioBytes: v.webkitAudioDecodedByteCount,
              };
            });
          await waitFor(async () => (await media()).t > 1, "the recording to play", 20_000, 100);
          assertEquals((await media()).muted, true, "starts muted");
          await sound.click();
          assertEquals([await sound.getAttribute("aria-pressed"), (await media()).muted], [
            "true",
            false,
          ]);
          const decoded = await waitFor(
            async () => {
              const m = await media();
              return m.audioBytes > 0 ? m.audioBytes : undefined;
            },
            "audio to be decoded",
            10_000,
            100,
          );
          console.log(`audio decoded by Chromium: ${decoded} bytes`);
          assertEquals(pageErrors(page), []);
          await page.close();
        },
      );

      await t.step(`a day of ${BIG_SEGMENTS} segments starts quickly`, async () => {
        const page = await openPage(browser, `${nvr.base}/recordings?cam=1-1&date=${BIG_DAY}`);
        await page.waitForSelector(".timeline .span");
        const box = (await page.locator(".timeline").boundingBox())!;
        const t0 = Date.now();
        await page.mouse.click(box.x + box.width * 0.5, box.y + box.height / 2);
        await waitFor(
          () =>
            page.evaluate(() =>
              document.querySelector<HTMLVideoElement>(".player video")!.currentTime > 0 &&
              document.querySelector<HTMLVideoElement>(".player video")!.readyState >= 2
            ),
          "first frame",
          15_000,
          50,
        );
        const ttff = Date.now() - t0;
        // The claim is that it plays at all within the wait above; how fast is measured by the
        // bench, not asserted here (a loaded box must not fail the suite).
        console.log(`time to first frame on a ${BIG_SEGMENTS}-segment day: ${ttff} ms`);
        await page.close();
      });

      await t.step("MP4 export of a span, and bad input", async () => {
        const from = at(YESTERDAY, "10:01:00"), to = at(YESTERDAY, "10:02:00");
        const url =
          `${nvr.base}/api/export/gid/1/seq/1/span.mp4?from=${from}&to=${to}&name=Yard%20cam`;
        const res = await fetch(url);
        assertEquals(res.status, 200);
        assert(
          /filename="Yard-cam_\d{8}-100100_100200\.mp4"/.test(
            res.headers.get("content-disposition")!,
          ),
        );
        const file = await Deno.makeTempFile({ suffix: ".mp4" });
        await Deno.writeFile(file, new Uint8Array(await res.arrayBuffer()));
        const info = await probe(file);
        await Deno.remove(file);
        assertEquals(info.codec, "h264");
        assertAlmostEquals(info.duration, 60, 2.5);
        for (const q of ["from=x&to=1", `from=${to}&to=${from}`, `from=${from}&to=${to}&evil=1`]) {
          const bad = await nvr.api("GET", `/api/export/gid/1/seq/1/span.mp4?${q}`);
          assertEquals(bad.status, 400, q);
          assert(bad.json.fields?.length > 0, `fields for ${q}`);
        }
      });
      await t.step("camera form shows field errors next to fields", async () => {
        const page = await openPage(browser, `${nvr.base}/cameras`, { width: 390, height: 844 });
        await page.getByRole("button", { name: "Add camera" }).click();
        await page.locator("#cam-name").fill("Gate");
        await page.locator("#cam-gid").fill("x");
        await page.locator("#cam-seq").fill("3");
        await page.locator("#cam-iaddr").fill('rtsp://admin:secret@10.0.0.9/s1" ! filesink');
        await page.locator(".camera-form button[type=submit]").click();
        await page.waitForSelector("#cam-gid-err", { timeout: 10_000 });
        assert(await page.locator("#cam-iaddr-err").isVisible(), "iaddr error shown");
        assertEquals(await page.locator("#cam-name-err").count(), 0);
        await screenshot(page, "camera-form-errors-390");
        await page.locator("#cam-gid").fill("3");
        await page.locator("#cam-iaddr").fill(rtsp.url("h264", "admin:secret"));
        await page.locator(".camera-form button[type=submit]").click();
        await page.waitForSelector('.cam-row[data-cam="3-3"]', { timeout: 10_000 });
        const text = await page.locator("main").textContent();
        assert(!text!.includes("secret"), "the password is never shown");
        await page.close();
      });
      assertEquals(dialogs, [], "no script ran from a camera name");
    } finally {
      await endUiTest(browser, rc, segs);
    }
  },
});
