/**
 * Watches playlists on disk and records when each segment first appears. A camera is
 * real-time when no segment appears more than one target duration later than the
 * media before it says it should (first appearance + sum of the durations since).
 */

interface Seen {
  uri: string;
  durationS: number;
  seenMs: number;
}

export interface Timeliness {
  segments: number;
  /** Worst lateness over the cameras, seconds. */
  maxLateS: number;
  targetS: number;
  realtime: boolean;
  /** Media seconds produced per wall second, lowest camera. */
  minRate: number;
}

function parse(text: string): { target: number; entries: { uri: string; dur: number }[] } {
  const entries: { uri: string; dur: number }[] = [];
  let target = 0, dur = NaN;
  for (const line of text.split("\n")) {
    if (line.startsWith("#EXT-X-TARGETDURATION:")) target = Number(line.slice(22));
    else if (line.startsWith("#EXTINF:")) dur = parseFloat(line.slice(8));
    else if (line && !line.startsWith("#") && !Number.isNaN(dur)) {
      entries.push({ uri: line.trim(), dur });
      dur = NaN;
    }
  }
  return { target, entries };
}

export class SegmentTracker {
  #seen: Map<string, Seen>[];
  #timer?: ReturnType<typeof setInterval>;
  #target = 0;
  #t0 = 0;

  constructor(readonly playlists: string[], readonly intervalMs = 250) {
    this.#seen = playlists.map(() => new Map());
  }

  start(): void {
    this.#t0 = Date.now();
    this.#timer = setInterval(() => this.#poll(), this.intervalMs);
  }

  async #poll(): Promise<void> {
    const now = Date.now();
    await Promise.all(this.playlists.map(async (p, i) => {
      const text = await Deno.readTextFile(p).catch(() => "");
      const { target, entries } = parse(text);
      this.#target = Math.max(this.#target, target);
      for (const e of entries) {
        if (!this.#seen[i].has(e.uri)) {
          this.#seen[i].set(e.uri, { uri: e.uri, durationS: e.dur, seenMs: now });
        }
      }
    }));
  }

  stop(): Timeliness {
    clearInterval(this.#timer);
    const wallS = (Date.now() - this.#t0) / 1000;
    let maxLate = 0, segments = 0, minRate = Infinity;
    for (const seen of this.#seen) {
      // Segments already listed at the first poll were not seen appearing: skip them.
      const list = [...seen.values()].filter((s) => s.seenMs > this.#t0 + this.intervalMs * 1.5);
      segments += list.length;
      let media = 0;
      for (let k = 1; k < list.length; k++) {
        media += list[k].durationS;
        const late = (list[k].seenMs - list[0].seenMs) / 1000 - media;
        maxLate = Math.max(maxLate, late);
      }
      minRate = Math.min(minRate, list.length ? media / wallS : 0);
    }
    const targetS = this.#target || 2;
    return {
      segments,
      maxLateS: maxLate,
      targetS,
      realtime: verdict(segments / this.playlists.length, maxLate, targetS, wallS) === "yes",
      minRate: Number.isFinite(minRate) ? minRate : 0,
    };
  }
}

/**
 * "yes" when every camera's segments appeared on time (at least 3 per camera seen);
 * "no" when one was late by more than a target duration, or a camera closed at most one
 * segment in a window of two target durations or more; otherwise "undetermined".
 */
export function verdict(
  segmentsPerCam: number,
  maxLateS: number,
  targetS: number,
  windowS: number,
): "yes" | "no" | "undetermined" {
  if (maxLateS > targetS) return "no";
  if (segmentsPerCam < 2) return windowS >= 2 * targetS ? "no" : "undetermined";
  return segmentsPerCam < 3 ? "undetermined" : "yes";
}
