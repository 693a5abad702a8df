/**
 * The uploader: copies every recorded session into the bucket as bundle objects (about
 * `bundleSeconds` of consecutive segments, concatenated: a valid MPEG-TS each) and a manifest
 * per session, in the background, one request at a time, never touching the recording's own
 * files or queue (it only reads closed segments). Each pass derives its work from disk: a
 * session's playlist minus its archive index (storage/archive_index.ts). A bundle counts as
 * archived only once a HEAD shows its size and MD5, then the manifest is written, then the
 * index line is appended: a kill at any moment re-uploads at most one bundle, to the same key.
 * A failure stops the pass and the next one waits (1 s doubling to 30 s); the backlog
 * is measured every pass for health and metrics. `--archive-max-bitrate` paces the uploads.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { type Clock, sleep } from "../clock.ts";
import type { Logger } from "../log.ts";
import {
  appendArchiveIndex,
  type ArchivedBundle,
  readArchiveIndex,
} from "../storage/archive_index.ts";
import type { Catalog } from "../storage/catalog.ts";
import { sessionDir } from "../storage/layout.ts";
import type { PlaylistSegment } from "../storage/playlist.ts";
import type { SessionSummary } from "../storage/session.ts";
import { localDate } from "../time.ts";
import { retryDelayMs, throttleDelayMs } from "./backoff.ts";
import { expireArchive } from "./expiry.ts";
import { bundleKey, manifestKey, type SessionRef } from "./keys.ts";
import { renderManifest } from "./manifest.ts";
import { planBundles } from "./plan.ts";
import { ArchiveReader } from "./reader.ts";
import { SessionQueue } from "./session_queue.ts";
import type { ObjectStore } from "./store.ts";

export interface ArchiverDeps {
  mediaRoot: string;
  catalog: Catalog;
  clock: Clock;
  log: Logger;
  store: ObjectStore;
  prefix: string;
  node: string;
  bundleSeconds: number;
  maxBitrate?: number;
  /** Wait between two passes when all went well (ms). */
  intervalMs?: number;
  /** `--archive-max-age-days`: older days are deleted from the bucket (hourly). */
  maxAgeDays?: number;
  /** `--archive-presign`: bundle GETs redirect to presigned URLs (api/archive_routes.ts). */
  presign?: boolean;
}

export interface ArchiveStatus {
  /** Bytes recorded and not yet archived. */
  backlogBytes: number;
  /** Age of the oldest segment not yet archived (s; 0 when none). */
  lagSeconds: number;
  uploadedBytes: number;
  uploadedObjects: number;
  errors: number;
  /** Failures in a row (0: the last pass went well). */
  failures: number;
  lastError?: string;
  lastErrorAt?: number;
  lastSuccessAt?: number;
}

/**
 * A growing session's manifest is rewritten at its first bundle, then every this many bundles
 * or this long (a day's manifest is megabytes); a closed session's is final at once.
 */
const MANIFEST_EVERY_BUNDLES = 10;
const MANIFEST_EVERY_MS = 600_000;
/** How often expired days are looked for in the bucket (ms). */
const EXPIRY_MS = 3_600_000;
/** How often an idle uploader checks that the bucket answers (ms). */
const PING_MS = 60_000;
const MANIFEST_TYPE = "application/vnd.apple.mpegurl";
const sessionKey = (s: SessionSummary) => `${s.gid}/${s.seq}/${s.date}/${s.time}`;

export class Archiver {
  #d: ArchiverDeps;
  /** Closed sessions wholly archived (not looked at again). */
  #done = new Set<string>();
  #status: ArchiveStatus = {
    backlogBytes: 0,
    lagSeconds: 0,
    uploadedBytes: 0,
    uploadedObjects: 0,
    errors: 0,
    failures: 0,
  };
  #stop = new AbortController();
  /** When the store was last pinged, and expired days last deleted. */
  #pinged = -Infinity;
  #expired = -Infinity;
  #loop?: Promise<void>;
  /** What is left to archive, per session being looked at. */
  #queues = new Map<string, SessionQueue>();
  /** When each session's manifest was last written, and the bundles indexed since. */
  #manifests = new Map<string, { at: number; bundles: number }>();

  #reader: ArchiveReader;

  constructor(deps: ArchiverDeps) {
    this.#d = deps;
    this.#reader = new ArchiveReader(deps.mediaRoot, deps.store);
  }

  get status(): ArchiveStatus {
    return { ...this.#status };
  }

  get store(): ObjectStore {
    return this.#d.store;
  }

  /** The store, key prefix, this node's id and whether to presign (for fleet review). */
  get fleet(): { store: ObjectStore; prefix: string; node: string; presign: boolean } {
    const d = this.#d;
    return { store: d.store, prefix: d.prefix, node: d.node, presign: !!d.presign };
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const d = this.#d;
    while (!this.#stop.signal.aborted) {
      await this.pass();
      const wait = this.#status.failures > 0
        ? retryDelayMs(this.#status.failures)
        : d.intervalMs ?? 2000;
      if (!(await sleep(d.clock, wait, this.#stop.signal))) break;
    }
  }

  /** One pass over every session; returns false when the store failed. */
  async pass(): Promise<boolean> {
    const d = this.#d;
    let backlog = 0;
    let oldest = Infinity;
    let failed = false;
    const sentBefore = this.#status.uploadedObjects;
    const now0 = d.clock.now();
    for (const s of d.catalog.allSessions()) {
      if (this.#stop.signal.aborted) break;
      const k = sessionKey(s);
      if (this.#done.has(k)) continue;
      const dir = sessionDir(d.mediaRoot, s.gid, s.seq, s.date, s.time);
      try {
        const r = await this.#session(s, k, dir, failed);
        backlog += r.backlogBytes;
        oldest = Math.min(oldest, r.oldestMs);
        if (r.error !== undefined) throw r.error;
        if (r.complete) this.#done.add(k);
      } catch (err) {
        failed = true;
        this.#failed(err, k);
      }
    }
    if (!failed && d.maxAgeDays && now0 - this.#expired >= EXPIRY_MS) {
      this.#expired = now0;
      try {
        const cutoff = localDate(now0 - d.maxAgeDays * 86_400_000);
        const n = await expireArchive(d.store, d.prefix, d.node, cutoff);
        if (n > 0) d.log.info("archive: expired objects deleted", { deleted: n, before: cutoff });
      } catch (err) {
        failed = true;
        this.#failed(err, "(expiry)");
      }
    }
    // Idle (nothing to send): a cheap request now and then, so wrong credentials or a store
    // that went away show in health before there is a backlog.
    const now = d.clock.now();
    const idle = this.#status.uploadedObjects === sentBefore;
    // (While failing, every retry asks again: only an answer ends the failure.)
    const due = this.#status.failures > 0 || now - this.#pinged >= PING_MS;
    if (!failed && idle && due) {
      this.#pinged = now;
      try {
        await d.store.ping();
      } catch (err) {
        failed = true;
        this.#failed(err, "(bucket)");
      }
    }
    const st = this.#status;
    st.backlogBytes = backlog;
    st.lagSeconds = Number.isFinite(oldest) ? Math.max(0, (d.clock.now() - oldest) / 1000) : 0;
    if (!failed) {
      if (st.failures > 0) d.log.info("archive: the store answers again");
      st.failures = 0;
      st.lastSuccessAt = d.clock.now();
    }
    return !failed;
  }

  #failed(err: unknown, session: string): void {
    const st = this.#status;
    st.errors++;
    st.failures++;
    st.lastError = (err as Error).message;
    st.lastErrorAt = this.#d.clock.now();
    if (st.failures === 1 || st.failures % 10 === 0) {
      this.#d.log.warn("archive: upload failed (recording goes on; retrying)", {
        session,
        error: st.lastError,
        failures: st.failures,
      });
    }
  }

  /**
   * Archives what is ready in one session (unless `measureOnly`: the store failed already this
   * pass) and measures what is left.
   */
  async #session(s: SessionSummary, k: string, dir: string, measureOnly: boolean) {
    const d = this.#d;
    const none = { backlogBytes: 0, oldestMs: Infinity, error: undefined as unknown };
    // Read before the playlist: a session seen closed here has all its entries in it (it is
    // closed after its last append), while `s.open` may change at any await below.
    const closed = !s.open;
    let q = this.#queues.get(k);
    if (!q) this.#queues.set(k, q = new SessionQueue(dir));
    if (!(await q.refresh())) {
      this.#queues.delete(k);
      return { ...none, complete: false };
    }
    // Still on disk (a segment retention deleted is not waited for).
    await q.measure();
    const ref: SessionRef = { node: d.node, gid: s.gid, seq: s.seq, date: s.date, time: s.time };
    let error: unknown;
    if (!measureOnly) {
      try {
        if (closed && q.pending.length === 0 && q.bundles > 0 && !q.ended) {
          // Closed after its last bundle went: the manifest becomes final.
          await this.#putManifest(dir, ref, undefined, true, k);
          await appendArchiveIndex(dir, { ended: true });
          q.ended = true;
        }
        const sizes = new Map(q.pending.map((p) => [p.seg.uri, p.bytes]));
        const plan = planBundles({
          listed: q.pending.map((p) => p.seg),
          archived: new Set(),
          bytes: (seg) => sizes.get(seg.uri),
          closed,
          now: d.clock.now(),
          bundleMs: d.bundleSeconds * 1000,
        });
        for (const segs of plan) {
          if (this.#stop.signal.aborted) break;
          if (!(await this.#upload(dir, ref, segs, q, closed, k))) break; // planned again
        }
      } catch (err) {
        error = err; // measured below all the same
      }
    }
    let backlogBytes = 0, oldestMs = Infinity;
    for (const p of q.pending) {
      backlogBytes += p.bytes ?? 0;
      oldestMs = Math.min(oldestMs, p.seg.startMs + p.seg.durationMs);
    }
    const complete = q.pending.length === 0 && (q.ended || q.bundles === 0);
    if (complete && closed) this.#queues.delete(k);
    return { backlogBytes, oldestMs, complete: complete && closed, error };
  }

  /**
   * Uploads one bundle, verifies it, writes the manifest when due, then indexes it. False when
   * a segment went from disk meanwhile (it leaves the queue; the rest is planned again).
   */
  async #upload(
    dir: string,
    ref: SessionRef,
    segs: PlaylistSegment[],
    q: SessionQueue,
    closed: boolean,
    k: string,
  ): Promise<boolean> {
    const d = this.#d;
    const parts: Uint8Array[] = [];
    for (const seg of segs) {
      const bytes = await Deno.readFile(join(dir, seg.uri)).catch((err) => {
        if (err instanceof Deno.errors.NotFound) return undefined;
        throw err;
      });
      if (!bytes) {
        q.remove(new Set([seg.uri]));
        return false;
      }
      parts.push(bytes);
    }
    const size = parts.reduce((n, p) => n + p.length, 0);
    const body = new Uint8Array(size);
    const segments = [];
    let offset = 0;
    for (let i = 0; i < parts.length; i++) {
      body.set(parts[i], offset);
      segments.push({ name: segs[i].uri, offset, bytes: parts[i].length });
      offset += parts[i].length;
    }
    const digest = createHash("md5").update(body).digest();
    const md5 = digest.toString("hex");
    const key = bundleKey(d.prefix, ref, segs[0].startMs);
    const started = d.clock.monotonic();
    await d.store.put(key, body, "video/mp2t", digest.toString("base64"));
    const info = await d.store.head(key);
    if (!info || info.size !== size || (info.etag !== "" && info.etag !== md5)) {
      throw new Error(
        `archive: ${key} did not verify (size ${info?.size ?? "none"} for ${size}, etag ${
          info?.etag || "none"
        })`,
      );
    }
    const entry: ArchivedBundle = { key, size, md5, segments };
    const names = new Set(segs.map((x) => x.uri));
    const ended = closed && q.pending.every((p) => names.has(p.seg.uri));
    const m = this.#manifests.get(k);
    const due = ended || !m || m.bundles >= MANIFEST_EVERY_BUNDLES ||
      d.clock.now() - m.at >= MANIFEST_EVERY_MS;
    if (due) await this.#putManifest(dir, ref, entry, ended, k);
    else m.bundles++;
    await appendArchiveIndex(dir, entry);
    if (ended) await appendArchiveIndex(dir, { ended: true });
    q.remove(names);
    q.bundles++;
    q.ended = ended;
    this.#status.uploadedBytes += size;
    this.#status.uploadedObjects++;
    const pace = throttleDelayMs(size, d.clock.monotonic() - started, d.maxBitrate);
    if (pace > 0) await sleep(d.clock, pace, this.#stop.signal);
    return true;
  }

  /** Writes the session's manifest from its index (plus `extra`, about to be indexed). */
  async #putManifest(
    dir: string,
    ref: SessionRef,
    extra: ArchivedBundle | undefined,
    ended: boolean,
    k: string,
  ) {
    const d = this.#d;
    const bundles = await readArchiveIndex(dir);
    if (extra) bundles.push(extra);
    const manifest = new TextEncoder().encode(renderManifest(bundles, ended));
    await d.store.put(manifestKey(d.prefix, ref), manifest, MANIFEST_TYPE);
    if (ended) this.#manifests.delete(k);
    else this.#manifests.set(k, { at: d.clock.now(), bundles: 0 });
  }

  /** The archived bytes of a segment (`gid/seq/date/time/name`); see ArchiveReader. */
  read(rel: string): Promise<Uint8Array | undefined> {
    return this.#reader.read(rel);
  }

  /** Where an archived segment of a local session lies (undefined: not archived). */
  locate(gid: number, seq: number, date: string, time: string, name: string) {
    return this.#reader.locate(gid, seq, date, time, name);
  }
}
