/**
 * The motion event store: one append-only JSON-lines file per camera and local day,
 * `{media}/{gid}/{seq}/events/{YYYY-MM-DD}.jsonl` (the day of each event's start), beside
 * the recordings, so it moves with the camera's folder (group move, `deleted/`). The
 * detector's hub events are appended as they come (`record`, synchronous: a line of about
 * 200 bytes at most once a second per event, on disk before anything else happens to the
 * camera's folder). A torn last line (a crash mid-append) is skipped when reading; an event
 * left open by a crash is closed at start-up (`repair`). Retention drops the events whose
 * recordings are gone (`trimBefore`). Event thumbnails live in the same folder as `{id}.jpg`.
 */
import { join } from "node:path";
import type { Logger } from "../log.ts";
import type { MotionEventData } from "../events.ts";
import { localDate } from "../time.ts";
import { listDir, removeIfPresent, statIfPresent } from "./files.ts";
import { cameraDir, ID_RE } from "./layout.ts";
import {
  activityLevels,
  EVENT_FILE_RE,
  EVENT_ID_RE,
  type EventLine,
  eventLine,
  eventsOverlapping,
  foldEvents,
  localDayBounds,
  type MotionEvent,
  parseEventLines,
  repairedEnd,
} from "./motion_events.ts";

export const EVENTS_DIR = "events";
const DAY_MS = 86_400_000;
/** Day files kept parsed in memory (the most recently used). */
const CACHE_FILES = 64;

export const eventsDir = (root: string, gid: number, seq: number) =>
  join(cameraDir(root, gid, seq), EVENTS_DIR);

export interface EventStoreDeps {
  now: () => number;
  log?: Logger;
  /** Whether the camera is registered: events of others are not stored. */
  known?: (gid: number, seq: number) => boolean;
}

const key = (gid: number, seq: number) => `${gid}/${seq}`;

export class EventStore {
  #d: EventStoreDeps;
  /** Events open in this process, per camera: id → day file date. */
  #open = new Map<string, Map<string, { date: string; event: MotionEvent }>>();
  /** Parsed day files by path (LRU). */
  #cache = new Map<string, EventLine[]>();
  /** Event counts of day files by path, valid for the file size noted. */
  #counts = new Map<string, { size: number; count: number }>();
  /** Lines that could not be written yet (a full disk), by path. */
  #pending = new Map<string, string>();
  /** Files whose end was checked for a torn line (a crash) by this process. */
  #checked = new Set<string>();

  constructor(readonly mediaRoot: string, deps: EventStoreDeps) {
    this.#d = deps;
  }

  dayPath(gid: number, seq: number, date: string): string {
    return join(eventsDir(this.mediaRoot, gid, seq), `${date}.jsonl`);
  }

  thumbnailPath(gid: number, seq: number, id: string): string {
    return join(eventsDir(this.mediaRoot, gid, seq), `${id}.jpg`);
  }

  /** Events of the camera open now (in this process), oldest first. */
  open(gid: number, seq: number): MotionEvent[] {
    return [...(this.#open.get(key(gid, seq))?.values() ?? [])].map((o) => o.event)
      .sort((a, b) => a.start - b.start);
  }

  /** Stores one hub motion event (start, update or end). Never throws. */
  record(
    gid: number,
    seq: number,
    phase: EventLine["phase"],
    at: number,
    data: MotionEventData,
  ): void {
    try {
      if (this.#d.known && !this.#d.known(gid, seq)) return;
      if (!EVENT_ID_RE.test(data.id) || !Number.isFinite(data.start)) {
        this.#d.log?.warn("motion event not stored: bad id or start", { id: String(data.id) });
        return;
      }
      const k = key(gid, seq);
      let open = this.#open.get(k);
      if (!open) this.#open.set(k, open = new Map());
      const date = open.get(data.id)?.date ?? localDate(data.start);
      const line: EventLine = {
        phase,
        at,
        id: data.id,
        start: data.start,
        ...(phase === "end" ? { end: data.end ?? at } : {}),
        score: data.score,
        box: data.box,
        ...(data.peak !== undefined ? { peak: data.peak } : {}),
      };
      const path = this.dayPath(gid, seq, date);
      this.#append(path, line);
      const event = foldEvents([
        ...(open.has(data.id) ? [this.#asLine(open.get(data.id)!.event)] : []),
        line,
      ])[0];
      if (phase === "end") open.delete(data.id);
      else open.set(data.id, { date, event });
    } catch (err) {
      this.#d.log?.error("motion event not stored", { error: String(err) });
    }
  }

  #asLine(e: MotionEvent): EventLine {
    return { phase: "update", at: e.lastAt, ...e };
  }

  /** Appends synchronously; a failed write keeps the text for the next append. */
  #append(path: string, line: EventLine): void {
    const cached = this.#cache.get(path);
    if (cached) cached.push(line);
    const before = this.#pending.get(path);
    // After a failed write the file may end with a torn line: start on a new one.
    let text = (before !== undefined ? "\n" + before : "") + eventLine(line);
    try {
      Deno.mkdirSync(join(path, ".."), { recursive: true });
      // The first append of this process to a file a crash left torn starts on a new line.
      if (!this.#checked.has(path)) {
        if (before === undefined && endsTorn(path)) text = "\n" + text;
        this.#checked.add(path);
      }
      Deno.writeTextFileSync(path, text, { append: true });
      this.#pending.delete(path);
    } catch (err) {
      this.#pending.set(path, text.replace(/^\n/, ""));
      this.#d.log?.warn("motion event line not written yet (kept for the next)", {
        path,
        error: String(err),
      });
    }
  }

  /** The parsed lines of one day file (cached), pending ones included. */
  async #lines(path: string): Promise<EventLine[]> {
    let lines = this.#cache.get(path);
    if (lines) {
      this.#cache.delete(path); // most recently used goes last
    } else {
      const text = await Deno.readTextFile(path).catch((err) => {
        if (err instanceof Deno.errors.NotFound) return "";
        throw err;
      });
      lines = [...parseEventLines(text), ...parseEventLines(this.#pending.get(path) ?? "")];
    }
    this.#cache.set(path, lines);
    while (this.#cache.size > CACHE_FILES) this.#cache.delete(this.#cache.keys().next().value!);
    return lines;
  }

  /** The events of one camera's day file; one open by a crash (not by this process) ends at its last line. */
  async day(gid: number, seq: number, date: string): Promise<MotionEvent[]> {
    const open = this.#open.get(key(gid, seq));
    const events = foldEvents(await this.#lines(this.dayPath(gid, seq, date)));
    for (const e of events) if (e.end === undefined && !open?.has(e.id)) e.end = e.lastAt;
    return events;
  }

  /** Events of a camera overlapping [fromMs, toMs), oldest first (one lasting reaches now). */
  async between(gid: number, seq: number, fromMs: number, toMs: number): Promise<MotionEvent[]> {
    const dates = new Set<string>();
    // An event is filed under its start day: look a day back for one reaching into the span.
    for (let t = fromMs - DAY_MS; t < toMs + 12 * 3_600_000; t += 12 * 3_600_000) {
      dates.add(localDate(Math.min(t, toMs)));
    }
    const all: MotionEvent[] = [];
    for (const date of [...dates].sort()) all.push(...await this.day(gid, seq, date));
    return eventsOverlapping(all, fromMs, toMs, this.#d.now());
  }

  /** A local day's activity in 10 s buckets (see activityLevels). */
  async activity(gid: number, seq: number, date: string) {
    const { start, end } = localDayBounds(date);
    const events = await this.between(gid, seq, start, end);
    return { start, end, levels: activityLevels(events, start, end, this.#d.now()) };
  }

  /** Days in [fromDate, toDate] (YYYY-MM-DD) with at least one event, and their counts. */
  async days(
    gid: number,
    seq: number,
    fromDate: string,
    toDate: string,
  ): Promise<{ date: string; events: number }[]> {
    const dir = eventsDir(this.mediaRoot, gid, seq);
    const out: { date: string; events: number }[] = [];
    for (const name of (await listDir(dir, "file")).sort()) {
      const date = EVENT_FILE_RE.exec(name)?.[1];
      if (!date || date < fromDate || date > toDate) continue;
      const path = join(dir, name);
      const size = (await statIfPresent(path))?.size ?? 0;
      let hit = this.#counts.get(path);
      if (!hit || hit.size !== size) {
        const count = foldEvents(await this.#lines(path)).length;
        this.#counts.set(path, hit = { size, count });
      }
      if (hit.count > 0) out.push({ date, events: hit.count });
    }
    return out;
  }

  /** One event by id (its day file found from newest to oldest). */
  async find(gid: number, seq: number, id: string): Promise<MotionEvent | undefined> {
    const open = this.#open.get(key(gid, seq))?.get(id);
    if (open) return open.event;
    const dir = eventsDir(this.mediaRoot, gid, seq);
    const dates = (await listDir(dir, "file")).flatMap((n) => EVENT_FILE_RE.exec(n)?.[1] ?? [])
      .sort().reverse();
    for (const date of dates) {
      const e = (await this.day(gid, seq, date)).find((x) => x.id === id);
      if (e) return e;
    }
    return undefined;
  }

  /**
   * Start-up: closes every event left open by a crash in each camera's two newest day
   * files (see repairedEnd), with an `end` line marked `repaired`. Returns how many.
   */
  async repair(lastSegmentEnd: (gid: number, seq: number) => number | undefined): Promise<number> {
    let repaired = 0;
    for (const g of (await listDir(this.mediaRoot, "dir")).filter((n) => ID_RE.test(n))) {
      for (
        const s of (await listDir(join(this.mediaRoot, g), "dir")).filter((n) => ID_RE.test(n))
      ) {
        const gid = Number(g), seq = Number(s);
        const dates = (await listDir(eventsDir(this.mediaRoot, gid, seq), "file"))
          .flatMap((n) => EVENT_FILE_RE.exec(n)?.[1] ?? []).sort().slice(-2);
        for (const date of dates) {
          const path = this.dayPath(gid, seq, date);
          for (const e of foldEvents(await this.#lines(path))) {
            if (e.end !== undefined || this.#open.get(key(gid, seq))?.has(e.id)) continue;
            const end = repairedEnd(e, lastSegmentEnd(gid, seq));
            this.#append(path, { ...this.#asLine(e), phase: "end", at: end, end, repaired: true });
            repaired++;
          }
        }
      }
    }
    return repaired;
  }

  /**
   * Retention: drops the camera's events that ended before `cutoffMs` (their recordings
   * are gone), with their thumbnails. A day file left empty is removed; one that keeps
   * events is rewritten atomically. Returns the events dropped.
   */
  async trimBefore(gid: number, seq: number, cutoffMs: number): Promise<number> {
    const dir = eventsDir(this.mediaRoot, gid, seq);
    const open = this.#open.get(key(gid, seq));
    let dropped = 0;
    for (const name of (await listDir(dir, "file")).sort()) {
      const date = EVENT_FILE_RE.exec(name)?.[1];
      // Files of days after the cutoff's day hold only events that start after it.
      if (!date || date > localDate(cutoffMs)) continue;
      // A file an open event still appends to is left for a later pass.
      if ([...open?.values() ?? []].some((o) => o.date === date)) continue;
      const path = join(dir, name);
      const lines = await this.#lines(path);
      const gone = new Set(
        foldEvents(lines).filter((e) => !open?.has(e.id) && (e.end ?? e.lastAt) < cutoffMs)
          .map((e) => e.id),
      );
      if (gone.size === 0) continue;
      const kept = lines.filter((l) => !gone.has(l.id));
      // Synchronous, so no append (record) falls between the read and the rename.
      if (kept.length === 0) Deno.removeSync(path);
      else writeSyncAtomic(path, kept.map(eventLine).join(""));
      this.#cache.set(path, kept);
      this.#counts.delete(path);
      for (const id of gone) await removeIfPresent(this.thumbnailPath(gid, seq, id));
      dropped += gone.size;
    }
    return dropped;
  }

  /** Forgets what is held in memory for a camera (deleted or moved away). */
  forget(gid: number, seq: number): void {
    this.#open.delete(key(gid, seq));
    const prefix = eventsDir(this.mediaRoot, gid, seq) + "/";
    for (const m of [this.#cache, this.#counts, this.#pending]) {
      for (const p of [...m.keys()]) if (p.startsWith(prefix)) m.delete(p);
    }
    for (const p of [...this.#checked]) if (p.startsWith(prefix)) this.#checked.delete(p);
  }

  /** Ends every open event at `at` (shutdown: the detector is gone). */
  closeAll(at: number): void {
    for (const [k, open] of [...this.#open]) {
      const [gid, seq] = k.split("/").map(Number);
      for (const { event } of [...open.values()]) {
        this.record(gid, seq, "end", at, { ...event, end: Math.max(event.start, at) });
      }
    }
  }
}

/** Writes `path` whole (temp name, then rename), synchronously. */
function writeSyncAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  Deno.writeTextFileSync(tmp, text);
  Deno.renameSync(tmp, path);
}

/** Whether the file exists and its last byte is not a newline (a line torn by a crash). */
function endsTorn(path: string): boolean {
  let f: Deno.FsFile | undefined;
  try {
    f = Deno.openSync(path, { read: true });
    const size = f.statSync().size;
    if (size === 0) return false;
    f.seekSync(size - 1, Deno.SeekMode.Start);
    const b = new Uint8Array(1);
    return f.readSync(b) === 1 && b[0] !== 0x0a;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  } finally {
    f?.close();
  }
}
