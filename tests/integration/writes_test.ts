/**
 * With the permissions it ships with, the server writes under the media root and the
 * data dir only: MP4 exports are made in `{media}/.exports` (removed once sent, swept at
 * start-up, a bounded number at once), and a snapshot that cannot be written is a 503,
 * never a crash.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";
import { startRecording } from "../support/recording_camera.ts";

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) out.push(e.name);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return out;
}

Deno.test("exports live under {media}/.exports; snapshots that cannot be written are a 503, process up", async () => {
  let exportsDir = "";
  const rc = await startRecording({
    rtsp: false,
    cameras: [{ name: "door", iaddr: "test://ball", protocol: "test" }],
    segments: 0,
    async beforeStart(nvr) {
      exportsDir = join(nvr.mediaRoot, ".exports");
      await Deno.mkdir(exportsDir, { recursive: true });
      await Deno.writeTextFile(join(exportsDir, "left-by-a-crash.mp4"), "x");
    },
  });
  const { nvr } = rc;
  try {
    assertEquals(await names(exportsDir), [], "swept at start-up");
    await rc.segments(4); // four segments

    // One export: an MP4 with its file name, nothing left behind.
    const to = Date.now() - 500;
    const url = `${nvr.base}/api/export/gid/1/seq/1/span.mp4?from=${to - 2500}&to=${to}&name=door`;
    const one = await fetch(url);
    const body = new Uint8Array(await one.arrayBuffer());
    assertEquals(one.status, 200, new TextDecoder().decode(body.slice(0, 300)));
    assertEquals(one.headers.get("content-type"), "video/mp4");
    assert(/filename="door_\d{8}-\d{6}_\d{6}\.mp4"/.test(one.headers.get("content-disposition")!));
    assertEquals(new TextDecoder().decode(body.slice(4, 8)), "ftyp");
    assertEquals(await names(exportsDir), [], "removed once sent");

    // Exports in flight are bounded: the ones beyond the limit get 429 with a JSON reason.
    const many = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const r = await fetch(url);
        const text = await r.text();
        return { status: r.status, text, retry: r.headers.get("retry-after") };
      }),
    );
    const statuses = many.map((r) => r.status).sort();
    assert(statuses.every((s) => s === 200 || s === 429), statuses.join(","));
    assert(statuses.includes(200), statuses.join(","));
    const refused = many.find((r) => r.status === 429);
    assert(refused, `some of 5 concurrent exports refused: ${statuses.join(",")}`);
    assert(JSON.parse(refused.text).error.includes("exports are in progress"), refused.text);
    assert(refused.retry, "Retry-After");
    assertEquals(await names(exportsDir), []);

    // The snapshot folder cannot be made (a file occupies its name): 503, the server lives on.
    const snapshots = join(nvr.mediaRoot, ".snapshots");
    await Deno.remove(snapshots, { recursive: true }).catch(() => {});
    await Deno.writeTextFile(snapshots, "occupied");
    const shot = await fetch(`${nvr.base}/1/1/snapshot.jpg`);
    assertEquals(shot.status, 503);
    assertEquals((await shot.json()).status, 0);
    const again = await fetch(`${nvr.base}/1/1/snapshot.jpg`);
    assertEquals(again.status, 503, "a failed snapshot is not cached");
    await again.body?.cancel();
    await new Promise((r) => setTimeout(r, 300));
    assertEquals((await nvr.api("GET", "/api/health")).status, 200, "still up");
    assertEquals(nvr.uncaught(), []);
    await Deno.remove(snapshots);
    const ok = await fetch(`${nvr.base}/1/1/snapshot.jpg`);
    assertEquals([ok.status, ok.headers.get("content-type")], [200, "image/jpeg"]);
    await ok.body?.cancel();
  } finally {
    await rc.stop();
  }
});
