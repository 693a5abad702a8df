/**
 * Outages of one camera kept as data: an append-only JSON-lines file
 * `{media}/{gid}/{seq}/outages.jsonl` (it moves with the camera's folder), one line
 * when an outage starts and one when it ends. Appending is O(1); a crash loses at
 * most the line being written, and a torn last line is skipped when reading.
 */
import { join } from "node:path";
import type { Logger } from "../log.ts";
import { maskSecrets } from "../util/redact.ts";
import { SerialQueue } from "../util/serial_queue.ts";
import { cameraDir } from "./layout.ts";

export const OUTAGES_FILE = "outages.jsonl";

export type OutageLine =
  | { type: "start"; at: number; reason: string }
  | { type: "end"; at: number };

export interface Outage {
  startMs: number;
  /** undefined while the outage lasts. */
  endMs?: number;
  reason: string;
}

/** States in which the camera delivers segments, and those in which it does not. */
const UP = new Set(["streaming", "recording"]);
const DOWN = new Set(["reconnecting", "failed", "paused", "stopped"]);

/**
 * What a state change means for the outage record: "start" when a camera that was
 * not in an outage stops delivering, "end" when one in an outage delivers again.
 */
export function outageChange(inOutage: boolean, next: string): "start" | "end" | undefined {
  if (!inOutage && DOWN.has(next)) return "start";
  if (inOutage && UP.has(next)) return "end";
  return undefined;
}

/** Folds the lines of an outage file into outages, oldest first (pure). */
export function foldOutages(lines: OutageLine[]): Outage[] {
  const out: Outage[] = [];
  for (const l of lines) {
    const open = out.at(-1);
    if (l.type === "start") {
      if (open && open.endMs === undefined) continue; // already open: keep the first reason
      out.push({ startMs: l.at, reason: String(l.reason) });
    } else if (open && open.endMs === undefined) {
      open.endMs = Math.max(open.startMs, l.at);
    }
  }
  return out;
}

export function parseOutageLines(text: string): OutageLine[] {
  const lines: OutageLine[] = [];
  for (const raw of text.split("\n")) {
    if (!raw.trim()) continue;
    try {
      const v = JSON.parse(raw);
      if ((v.type === "start" || v.type === "end") && Number.isFinite(v.at)) lines.push(v);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      // A torn line from a crash: skipped.
    }
  }
  return lines;
}

/** Outages overlapping [fromMs, toMs] (an open outage extends to `now`). */
export function outagesBetween(all: Outage[], fromMs: number, toMs: number): Outage[] {
  return all.filter((o) => o.startMs <= toMs && (o.endMs ?? Infinity) >= fromMs);
}

export class OutageLog {
  readonly path: string;
  #open?: Outage;
  #count = 0;
  #loaded = false;
  /** Appends, in call order. */
  #writes: SerialQueue;
  /** Lines not yet on disk (a full disk): written before the next line, listed meanwhile. */
  #pending: OutageLine[] = [];
  #torn = false;

  /** `log`: where a failed append is reported (default: stderr). */
  constructor(mediaRoot: string, gid: number, seq: number, log?: Logger) {
    this.path = join(cameraDir(mediaRoot, gid, seq), OUTAGES_FILE);
    // A failed append (a full disk): the lines stay pending and go with the next one.
    this.#writes = new SerialQueue((err) => {
      const msg = "outage lines not written yet (kept for the next write)";
      const fields = { path: this.path, error: String(err) };
      if (log) log.warn(msg, fields);
      else console.error(msg, fields);
    });
  }

  get open(): Outage | undefined {
    return this.#open;
  }

  /** Outages recorded since this process started (a Prometheus counter). */
  get count(): number {
    return this.#count;
  }

  /** Reads the file once, so an outage left open by a previous run stays open. */
  async load(): Promise<void> {
    if (this.#loaded) return;
    this.#loaded = true;
    const last = (await this.list()).at(-1);
    if (last && last.endMs === undefined) this.#open = last;
  }

  async list(): Promise<Outage[]> {
    const text = await Deno.readTextFile(this.path).catch((err) => {
      if (err instanceof Deno.errors.NotFound) return "";
      throw err;
    });
    return foldOutages([...parseOutageLines(text), ...this.#pending]);
  }

  /**
   * Records what a state change means. The in-memory state changes at once; the
   * line is appended in call order (writes are queued). Returns the change, if any.
   */
  onState(next: string, at: number, rawReason: string): "start" | "end" | undefined {
    const reason = maskSecrets(rawReason);
    const change = outageChange(this.#open !== undefined, next);
    if (!change) return undefined;
    const line: OutageLine = change === "start"
      ? { type: "start", at, reason }
      : { type: "end", at };
    if (change === "start") {
      this.#open = { startMs: at, reason };
      this.#count++;
    } else this.#open = undefined;
    this.#pending.push(line);
    this.#writes.push(async () => {
      if (this.#pending.length === 0) return;
      // After a failed write the file may end with a torn line: start on a new one.
      const text = (this.#torn ? "\n" : "") +
        this.#pending.map((l) => JSON.stringify(l) + "\n").join("");
      this.#torn = true;
      await Deno.mkdir(join(this.path, ".."), { recursive: true });
      await Deno.writeTextFile(this.path, text, { append: true });
      this.#pending = [];
      this.#torn = false;
    });
    return change;
  }

  /** Resolves when every line recorded so far is on disk. */
  flushed(): Promise<void> {
    return this.#writes.idle();
  }
}
