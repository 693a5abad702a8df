/**
 * Recordings and motion events written straight into a temp media folder, as the recorder
 * leaves them, for storage and thumbnail tests that need the files but no recorder; and the
 * event thumbnail maker on such a folder.
 */
import { join } from "node:path";
import { createLogger } from "../../src/log.ts";
import { type EventThumbnailDeps, EventThumbnails } from "../../src/recorder/event_thumbnails.ts";
import { Catalog } from "../../src/storage/catalog.ts";
import { DiskGuard } from "../../src/storage/disk_guard.ts";
import { EventStore } from "../../src/storage/event_store.ts";
import { RecordingSession } from "../../src/storage/session.ts";

/**
 * A session of camera 1/1: `count` 2 s segments of 1000 bytes from `startMs`, each its own
 * file (no hard link shared between them); closed unless `close` is false.
 */
export async function recordSession(root: string, startMs: number, count: number, close = true) {
  const src = join(root, "src.ts");
  Deno.writeFileSync(src, new Uint8Array(1000).fill(0x47));
  const s = await RecordingSession.open(root, 1, 1, startMs, 2);
  for (let i = 0; i < count; i++) {
    const p = join(root, `src${startMs}_${i}.ts`);
    Deno.copyFileSync(src, p);
    await s.append(p, startMs + i * 2000, 2000, false);
    Deno.removeSync(p);
  }
  if (close) await s.close("recording stopped");
  return s;
}

/** A motion event of camera 1/1 from `start` to `end`: its start line and its end line. */
export function recordEvent(
  store: EventStore,
  id: string,
  start: number,
  end: number,
  extra: { score?: number; peak?: number } = {},
): void {
  const event = { id, start, score: 0.2, box: [0, 0, 1, 1] as [number, number, number, number] };
  store.record(1, 1, "start", start, { ...event, ...extra });
  store.record(1, 1, "end", end, { ...event, ...extra, end });
}

/** A disk guard on a filesystem whose free space cannot be read (budget-only retention). */
export function unknownSpace(root: string): DiskGuard {
  return new DiskGuard({
    mediaRoot: root,
    minFreeBytes: 0,
    log: createLogger("json", {}, () => {}),
    space: () => Promise.resolve(undefined),
  });
}

/**
 * The event store (its clock stopped at `now`) and the thumbnail maker on a media folder
 * already written (the catalog rebuilt from it); `deps` gives the decoder and the archive.
 */
export async function eventThumbnails(
  root: string,
  now: number,
  deps: Pick<EventThumbnailDeps, "decode" | "archived">,
) {
  const catalog = new Catalog(root);
  await catalog.rebuild();
  const store = new EventStore(root, { now: () => now });
  const log = createLogger("json", {}, () => {});
  const thumbs = new EventThumbnails({
    mediaRoot: root,
    store,
    catalog,
    codec: () => undefined,
    log,
    ...deps,
  });
  return { store, thumbs };
}
