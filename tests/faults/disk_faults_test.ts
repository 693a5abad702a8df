/**
 * Disk faults on a real small filesystem (a tmpfs mounted for the test; needs root,
 * otherwise the test is skipped): the disk fills up while recording, then space
 * returns; the media root turns read-only, then writable again. The server must keep
 * answering, say why the camera is not recording, resume by itself, and keep every
 * complete segment indexed and playable.
 */
import { join } from "node:path";
import { assert } from "../support/assert.ts";
import { Nvr, waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";
import { checkIntegrity } from "./integrity.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(cmd: string, ...args: string[]): Promise<boolean> {
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output()
    .catch(() => undefined);
  return !!out?.success;
}

const mountPoint = Deno.makeTempDirSync({ prefix: "nvr-smallfs-" });
const canMount = Deno.uid() === 0 &&
  await run("mount", "-t", "tmpfs", "-o", "size=48m", "nvr-test", mountPoint);

Deno.test({
  name: "disk faults: disk full then space back; media root read-only then writable",
  ignore: !canMount,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const rc = await startRecording({
      rtsp: { gop: 25 },
      nvr: { mediaRoot: join(mountPoint, "media") },
      cameras: [{ seq: 1, gid: 6, name: "disk" }],
      segments: 3,
    });
    let nvr = rc.nvr;
    const filler = join(mountPoint, "filler");
    const cam = () => rc.status();
    const reasons: string[] = [];
    try {
      // Fill the filesystem, leaving a few segments' worth, and record into the wall.
      const free = () => {
        const out = new TextDecoder().decode(
          new Deno.Command("df", { args: ["-B1", "--output=avail", mountPoint] }).outputSync()
            .stdout,
        );
        return Number(out.trim().split("\n")[1]);
      };
      const f = Deno.openSync(filler, { write: true, create: true });
      const chunk = new Uint8Array(1024 * 1024);
      try {
        for (let left = free() - 200_000; left > 0; left -= chunk.length) {
          f.writeSync(chunk.subarray(0, Math.min(left, chunk.length)));
        }
      } catch { /* full already */ }
      f.close();
      await sleep(10_000);
      const full = await cam();
      reasons.push(`full: ${full.state} ${full.last_error}`);
      assert((await nvr.api("GET", "/api/camera")).status === 200, "API answers on a full disk");
      assert((await fetch(`${nvr.base}/api/health`).then((r) => r.text())).length > 0);

      Deno.removeSync(filler);
      const mark = (await cam()).segments;
      await waitFor(
        async () => (await cam()).segments >= mark + 3,
        "recording after space returns",
        40_000,
      );

      // Read-only media root. A remount while children hold files open for writing is
      // refused (EBUSY), so: stop, remount read-only, boot on it, then make it writable.
      await nvr.stop();
      assert(await run("mount", "-o", "remount,ro", mountPoint), "remount ro");
      nvr = rc.nvr = await new Nvr({
        segmentSeconds: 1,
        mediaRoot: nvr.mediaRoot,
        dataDir: nvr.dataDir,
        allowUnhealthy: true,
      }).start();
      await sleep(4000);
      const ro = await cam();
      reasons.push(`read-only: ${ro.state} ${ro.last_error}`);
      assert(
        (await nvr.api("GET", "/api/camera")).status === 200,
        "API answers on a read-only disk",
      );
      const days = (await nvr.api("GET", "/api/recordings/gid/6/seq/1/days")).json.days;
      assert(days.length >= 1, "recordings still listed");
      const health = await nvr.api("GET", "/api/health");
      reasons.push(`health ${health.status} ${JSON.stringify(health.json).slice(0, 200)}`);
      assert(await run("mount", "-o", "remount,rw", mountPoint), "remount rw");
      const mark2 = (await cam()).segments;
      await waitFor(async () => (await cam()).segments >= mark2 + 3, "recording after rw", 40_000);

      await nvr.api("PUT", "/api/camera/record/status", { gid: 6, seq: 1, isRec: 0 });
      await sleep(1500);
      const r = await checkIntegrity(nvr, 6, 1);
      console.log(`disk faults: ${reasons.join("; ")}; integrity ${JSON.stringify(r)}`);
      assert(r.listed >= 6, JSON.stringify(r));
    } finally {
      await rc.stop();
    }
  },
});

// Unmount even when the test failed (registered after, runs last in this file).
Deno.test({
  name: "disk faults: clean up the test filesystem",
  ignore: !canMount,
  async fn() {
    await run("umount", "-l", mountPoint);
    Deno.removeSync(mountPoint, { recursive: true });
  },
});
