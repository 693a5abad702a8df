/**
 * A camera's folders (src/cameras/folders.ts): a group move (merged into leftovers at the
 * target), a deletion into deleted/ (a second one in the same second gets -1), the
 * deleted area listed and purged; and the RecorderPool's limits (src/cameras/recorder_pool.ts).
 */
import { exists } from "../../../src/storage/files.ts";
import { join } from "node:path";
import {
  listDeleted,
  moveCameraFolder,
  moveToDeleted,
  purgeDeleted,
} from "../../../src/cameras/folders.ts";
import { RecorderPool } from "../../../src/cameras/recorder_pool.ts";
import type { CameraRunner } from "../../../src/cameras/runner.ts";
import type { Camera } from "../../../src/cameras/camera.ts";
import { createLogger } from "../../../src/log.ts";
import { assert, assertEquals } from "../../support/assert.ts";

const log = createLogger("json").child({ test: "folders" });
const touch = async (path: string) => {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, "x");
};

Deno.test("camera folders: a group move merges into leftovers; the live folder is not moved", async () => {
  const root = await Deno.makeTempDir();
  await touch(join(root, "1", "5", "hls", "r1", "00001.ts"));
  await touch(join(root, "1", "5", "2026-05-10", "120000", "a.ts"));
  await touch(join(root, "1", "5", "2026-05-10", "thumbs", "120001.jpg"));
  await touch(join(root, "2", "5", "2026-05-10", "120000", "b.ts")); // a leftover at the target
  assertEquals(await moveCameraFolder(root, 1, 2, 5, log), true);
  assert(!(await exists(join(root, "1", "5"))), "the old folder is gone");
  assert(await exists(join(root, "2", "5", "2026-05-10", "120000", "b.ts")), "leftover kept");
  assert(await exists(join(root, "2", "5", "2026-05-10", "120001", "a.ts")), "next free second");
  assert(await exists(join(root, "2", "5", "2026-05-10", "thumbs", "120001.jpg")));
  assert(!(await exists(join(root, "2", "5", "hls"))), "no live folder follows");
  assertEquals(await moveCameraFolder(root, 7, 8, 5, log), false, "nothing to move");
  await Deno.remove(root, { recursive: true });
});

Deno.test("camera folders: deleted area: moved in (-1 in the same second), listed, purged", async () => {
  const root = await Deno.makeTempDir();
  const at = new Date(2026, 4, 10, 8, 30, 15);
  for (const _ of [1, 2]) await touch(join(root, "3", "4", "2026-05-10", "083000", "a.ts"));
  const first = await moveToDeleted(root, 3, 4, at, log);
  await touch(join(root, "3", "4", "hls", "r", "00001.ts"));
  await touch(join(root, "3", "4", "2026-05-10", "083010", "a.ts"));
  const second = await moveToDeleted(root, 3, 4, at, log);
  assertEquals([first, second], [
    join(root, "deleted", "3_4_20260510-083015"),
    join(root, "deleted", "3_4_20260510-083015-1"),
  ]);
  assert(!(await exists(join(root, "3", "4"))), "camera folder (live one included) gone");
  assertEquals(await moveToDeleted(root, 3, 4, at, log), undefined, "no folder: nothing moved");
  assertEquals(await listDeleted(root), [
    { id: "3_4_20260510-083015", gid: 3, seq: 4 },
    { id: "3_4_20260510-083015-1", gid: 3, seq: 4 },
  ]);
  assertEquals(await purgeDeleted(root, "../3"), false, "not a deleted-area name");
  assertEquals(await purgeDeleted(root, "3_4_20260510-083015"), true);
  assertEquals(await purgeDeleted(root, "3_4_20260510-083015"), false, "already purged");
  assertEquals((await listDeleted(root)).length, 1);
  await Deno.remove(root, { recursive: true });
});

Deno.test("recorder pool: at most max runners; none after close; stopped ones are forgotten", async () => {
  const events: string[] = [];
  const fake = (c: Camera): CameraRunner => ({
    gid: c.gid,
    seq: c.seq,
    status: { state: "streaming", since: 1, reconnects: 0, segments: 0, started: true },
    recording: false,
    outages: { count: 0, list: () => Promise.resolve([]) },
    start: () => (events.push(`start ${c.seq}`), Promise.resolve()),
    stop: () => (events.push(`stop ${c.seq}`), Promise.resolve(undefined)),
    setRecording: () => undefined,
    pruneSession: () => Promise.resolve(undefined),
    snapshotSource: () => undefined,
    restartPipeline: () => Promise.resolve(),
  });
  const cam = (seq: number) => ({ gid: 1, seq, iaddr: "test://ball" }) as Camera;
  const pool = new RecorderPool(fake, 2);
  assertEquals(await pool.start(cam(1)), true);
  assertEquals(await pool.start(cam(2)), true);
  assertEquals(await pool.start(cam(3)), false, "over max");
  assertEquals(pool.status(1, 1).state, "streaming");
  assertEquals(pool.status(1, 3).state, "stopped", "no runner: stopped");
  await pool.stop(1, 1);
  assertEquals(pool.get(1, 1), undefined);
  await pool.close();
  assertEquals(await pool.start(cam(4)), false, "closed");
  assertEquals(events, ["start 1", "start 2", "stop 1", "stop 2"]);
});
