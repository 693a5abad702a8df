/**
 * Timeline thumbnails with the real recorder (a `test://` camera, 640x360) and a 3 s
 * interval: real JPEGs 320 px wide appear on disk and in the API, lie within the
 * recorded span, are served like other media, and retention (a disk budget, after a
 * restart) removes them with their day.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";
import { waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";

/** Width and height from a baseline JPEG's SOF0 marker (undefined when there is none). */
function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  let i = 2;
  while (i + 9 < b.length && b[i] === 0xff) {
    const marker = b[i + 1], len = (b[i + 2] << 8) | b[i + 3];
    if (marker === 0xc0) {
      return { width: (b[i + 7] << 8) | b[i + 8], height: (b[i + 5] << 8) | b[i + 6] };
    }
    i += 2 + len;
  }
  return undefined;
}

interface ThumbJson {
  time: string;
  url: string;
}

Deno.test("thumbnails: real JPEGs every few seconds, listed, served, removed with their day", async () => {
  const args = ["--thumbnail-seconds=3", "--retention-interval-seconds=1"];
  const rc = await startRecording({
    rtsp: false,
    nvr: { extraArgs: args },
    cameras: [{ name: "ball", iaddr: "test://ball", protocol: "test" }],
    segments: 0,
  });
  let nvr = rc.nvr;
  try {
    const date = await waitFor(
      async () => (await nvr.api("GET", "/api/recordings/gid/1/seq/1/days")).json.days?.[0],
      "a recorded day",
    );
    const list = async () =>
      (await nvr.api("GET", `/api/camera/seq/1/gid/1/thumbnails?date=${date}`)).json;
    const t0 = Date.now();
    const thumbs: ThumbJson[] = await waitFor(
      async () => {
        const l = await list();
        return l.thumbnails?.length >= 2 ? l.thumbnails : undefined;
      },
      "two thumbnails",
      30_000,
      250,
    );
    console.log(`2 thumbnails ${Date.now() - t0} ms after the first recorded day appeared`);
    assertEquals((await list()).date, date);

    // On disk: exactly the listed names, JPEGs only (the temp name never shows).
    const dir = join(nvr.mediaRoot, "1", "1", date, "thumbs");
    const onDisk = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => !n.includes(".tmp-"))
      .sort();
    const listed = thumbs.map((t) => t.url.split("/").at(-1)!);
    assert(listed.every((n) => onDisk.includes(n)), `${listed} on disk (${onDisk})`);
    assert(onDisk.every((n) => /^\d{6}\.jpg$/.test(n)), `${onDisk}`);

    // Within the recorded span (a name is the segment's start, truncated to the second).
    const day = (await nvr.api("GET", `/api/recordings/gid/1/seq/1/date/${date}`)).json;
    const spans = day.sessions.flatMap((s: { spans: [string, string][] }) => s.spans)
      .map(([a, b]: [string, string]) => [Date.parse(a), Date.parse(b)]);
    for (const t of thumbs) {
      const ms = Date.parse(t.time);
      assert(
        spans.some(([a, b]: number[]) => ms > a - 1000 && ms <= b),
        `${t.time} within ${JSON.stringify(day.sessions.map((s: { spans: unknown }) => s.spans))}`,
      );
      assertEquals(t.url, `/1/1/${date}/thumbs/${t.url.split("/").at(-1)}`);
    }
    const gaps = thumbs.slice(1).map((t, i) => Date.parse(t.time) - Date.parse(thumbs[i].time));
    assert(gaps.every((g) => g >= 2000 && g <= 6000), `about 3 s apart: ${gaps}`);

    // Served as media: JPEG, cacheable, 320 px wide with the camera's 16:9 aspect.
    for (const t of thumbs) {
      const res = await fetch(nvr.base + t.url);
      assertEquals(res.status, 200);
      assertEquals(res.headers.get("content-type"), "image/jpeg");
      assert(/max-age=\d+/.test(res.headers.get("cache-control") ?? ""), "cacheable");
      const b = new Uint8Array(await res.arrayBuffer());
      assertEquals([b[0], b[1], b.at(-2), b.at(-1)], [0xff, 0xd8, 0xff, 0xd9], "SOI … EOI");
      assertEquals(jpegSize(b), { width: 320, height: 180 });
      assert(b.length < 40_000, `small: ${b.length} bytes`);
    }

    // Bad input and other paths.
    for (
      const q of ["date=2026-13-01", "date=2026-02-30", "date=yesterday", "", "date=2026-01-01&x=1"]
    ) {
      const r = await nvr.api("GET", `/api/camera/seq/1/gid/1/thumbnails?${q}`);
      assertEquals(r.status, 400, q);
      assertEquals(r.json.status, 0);
      assert(r.json.fields.length > 0, q);
    }
    const unknown = await nvr.api("GET", `/api/camera/seq/1/gid/9/thumbnails?date=${date}`);
    assertEquals([unknown.status, unknown.json.status], [404, 0]);
    const empty = await nvr.api("GET", "/api/camera/seq/1/gid/1/thumbnails?date=2001-01-01");
    assertEquals([empty.status, empty.json.thumbnails], [200, []]);
    Deno.symlinkSync(join(nvr.dataDir, "cameras.json"), join(dir, "000001.jpg"));
    for (
      const path of [
        `/1/1/${date}/thumbs/000001.jpg`, // a symlink out of the media root
        `/1/1/${date}/thumbs/..%2F..%2F..%2F..%2F..%2Fdata%2Fcameras.json`,
        `/1/1/${date}/thumbs/${listed[0]}.tmp-12345678`,
        `/1/1/${date}/thumbs/index.m3u8`,
        `/1/1/${date}/x/${listed[0]}`,
      ]
    ) {
      const r = await fetch(nvr.base + path);
      const body = await r.text();
      assertEquals(r.status, 404, path);
      assert(body.startsWith("{") && !body.includes("iaddr"), `${path}: ${body}`);
    }
    Deno.removeSync(join(dir, "000001.jpg"));

    // Retention: recording off, then a restart with a budget of one byte deletes every
    // recording (a maximum age under a day, which would do it sooner, is refused).
    const off = await nvr.api("PUT", "/api/camera/record/status", { seq: 1, gid: 1, isRec: 0 });
    assertEquals(off.status, 200);
    await waitFor(
      async () =>
        (await nvr.api("GET", `/api/recordings/gid/1/seq/1/date/${date}`)).json.sessions
          .every((s: { open: boolean }) => !s.open),
      "the session to close",
    );
    const age = await nvr.api("PUT", "/api/camera/seq/1/gid/1/retention", {
      max_age_days: 2 / 86_400,
    });
    assertEquals([age.status, age.json.fields[0].field], [400, "max_age_days"]);
    nvr = await rc.restart({ extraArgs: [...args, "--disk-budget=1"] });
    await waitFor(
      async () => (await nvr.api("GET", "/api/recordings/gid/1/seq/1/days")).json.days.length === 0,
      "the day to leave the calendar",
      20_000,
    );
    assertEquals((await list()).thumbnails, [], "thumbnails gone from the API");
    const gone = await fetch(nvr.base + thumbs[0].url);
    assertEquals(gone.status, 404);
    await gone.body?.cancel();
    let dayExists = true;
    try {
      Deno.statSync(join(nvr.mediaRoot, "1", "1", date));
    } catch {
      dayExists = false;
    }
    assertEquals(dayExists, false, "the day folder (thumbs included) is gone");
    assertEquals(nvr.logs.filter((l) => l.includes("thumbnail skipped")), []);
  } finally {
    await rc.stop();
  }
});
