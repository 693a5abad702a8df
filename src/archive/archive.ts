/**
 * The archive tier as the composition root sees it: from the resolved settings, the S3
 * store, the uploader and the local evictor (storage/eviction.ts), or nothing when
 * `--archive-url` is not set.
 */
import type { Clock } from "../clock.ts";
import type { ArchiveConfig } from "../config/archive_config.ts";
import type { Logger } from "../log.ts";
import type { Catalog } from "../storage/catalog.ts";
import { Evictor } from "../storage/eviction.ts";
import { S3Store } from "./store.ts";
import { Archiver } from "./uploader.ts";

export interface Archive {
  archiver: Archiver;
  evictor: Evictor;
}

export function createArchive(
  config: ArchiveConfig | undefined,
  d: { mediaRoot: string; catalog: Catalog; clock: Clock; log: Logger; node: string },
): Archive | undefined {
  if (!config) return undefined;
  const log = d.log.child({ component: "archive" });
  const archiver = new Archiver({
    mediaRoot: d.mediaRoot,
    catalog: d.catalog,
    clock: d.clock,
    log,
    store: new S3Store(config),
    prefix: config.prefix,
    node: d.node,
    bundleSeconds: config.bundleSeconds,
    maxBitrate: config.maxBitrate,
    maxAgeDays: config.maxAgeDays,
    presign: config.presign,
  });
  const evictor = new Evictor({
    mediaRoot: d.mediaRoot,
    catalog: d.catalog,
    now: () => d.clock.now(),
    log,
    localMaxAgeMs: config.localMaxAgeMs,
    archiveMaxAgeMs: config.maxAgeDays && config.maxAgeDays * 86_400_000,
  });
  log.info("archive on", {
    endpoint: config.endpoint,
    bucket: config.bucket,
    prefix: config.prefix,
    node: d.node,
    localMaxAgeMs: config.localMaxAgeMs ?? null,
    presign: config.presign,
  });
  return { archiver, evictor };
}
