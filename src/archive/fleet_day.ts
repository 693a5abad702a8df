/**
 * Another recorder's archived day, for fleet review: its sessions' manifests read back
 * (entries with their byte ranges and times), each session's recorded spans, and the whole
 * day as one HLS playlist whose entries point at the bundles through this recorder's
 * `/archive/…` URLs (the timeline's rule joins the sessions, as for a local day). Pure,
 * except `readDay` (one GET per session).
 */
import { DATE_RE } from "../storage/layout.ts";
import { targetDurationFor } from "../storage/playlist.ts";
import { joinTimeline, markTimeline, type Span } from "../storage/timeline.ts";
import { isoWithOffset } from "../time.ts";
import { listSessions } from "./fleet.ts";
import { manifestKey, type SessionRef } from "./keys.ts";
import type { ManifestEntry } from "./manifest.ts";
import { type ObjectStore, StoreError } from "./store.ts";

export interface ArchivedSession {
  time: string;
  /** The manifest is final (`#EXT-X-ENDLIST`). */
  ended: boolean;
  entries: ManifestEntry[];
}

/** The entries of a manifest this program wrote (unknown tags skipped). */
export function parseManifest(text: string): { ended: boolean; entries: ManifestEntry[] } {
  const entries: ManifestEntry[] = [];
  let ended = false;
  let p: Partial<ManifestEntry> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    if (line === "#EXT-X-ENDLIST") ended = true;
    else if (line === "#EXT-X-DISCONTINUITY") p.discontinuity = true;
    else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) p.startMs = Date.parse(line.slice(25));
    else if (line.startsWith("#EXTINF:")) {
      p.durationMs = Math.round(parseFloat(line.slice(8)) * 1e3);
    } else if (line.startsWith("#EXT-X-BYTERANGE:")) {
      const [bytes, offset] = line.slice(17).split("@").map(Number);
      Object.assign(p, { bytes, offset });
    } else if (!line.startsWith("#")) {
      const ok = Number.isFinite(p.startMs) && Number.isFinite(p.durationMs) &&
        Number.isInteger(p.bytes) && Number.isInteger(p.offset);
      if (ok) entries.push({ ...(p as ManifestEntry), uri: line });
      p = {};
    }
  }
  return { ended, entries };
}

/** A session's continuous spans. */
export const spansOfEntries = (entries: ManifestEntry[]): Span[] => markTimeline(entries).spans;

/** Manifests read at once (a motion-mode day can hold hundreds of sessions). */
const PARALLEL = 8;

/**
 * The sessions of an archived day with their manifests, oldest first; a session whose
 * manifest is not written yet (its first bundle is) is empty. Other store failures throw.
 */
export async function readDay(
  store: ObjectStore,
  prefix: string,
  ref: Omit<SessionRef, "time">,
): Promise<ArchivedSession[]> {
  if (!DATE_RE.test(ref.date)) return [];
  const times = await listSessions(store, prefix, ref.node, ref.gid, ref.seq, ref.date);
  const read = async (time: string): Promise<ArchivedSession> => {
    try {
      const res = await store.get(manifestKey(prefix, { ...ref, time }));
      return { time, ...parseManifest(await res.text()) };
    } catch (err) {
      if (err instanceof StoreError && err.status === 404) {
        return { time, ended: false, entries: [] };
      }
      throw err;
    }
  };
  const out: ArchivedSession[] = [];
  for (let i = 0; i < times.length; i += PARALLEL) {
    out.push(...await Promise.all(times.slice(i, i + PARALLEL).map(read)));
  }
  return out;
}

/**
 * The day as one playlist: each entry's URI is `{base}/{time}/{bundle}` (base: the day's
 * `/archive/{node}/{gid}/{seq}/{date}` URL path), `VOD` + `#EXT-X-ENDLIST` once every
 * session is final, else `EVENT`.
 */
export function renderArchivedDay(sessions: ArchivedSession[], base: string): string {
  const lists = sessions.filter((s) => s.entries.length).map((s) =>
    s.entries.map((e) => ({ ...e, uri: `${base}/${s.time}/${e.uri}` }))
  );
  const joined = joinTimeline(lists);
  const ended = sessions.every((s) => s.ended);
  let text = `#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:${
    targetDurationFor(joined, 1)
  }\n#EXT-X-PLAYLIST-TYPE:${ended ? "VOD" : "EVENT"}\n#EXT-X-MEDIA-SEQUENCE:0\n`;
  for (const s of joined) {
    if (s.discontinuity) text += "#EXT-X-DISCONTINUITY\n";
    text += `#EXT-X-PROGRAM-DATE-TIME:${isoWithOffset(s.startMs)}\n` +
      `#EXTINF:${(s.durationMs / 1000).toFixed(3)},\n` +
      `#EXT-X-BYTERANGE:${s.bytes}@${s.offset}\n${s.uri}\n`;
  }
  return text + (ended ? "#EXT-X-ENDLIST\n" : "");
}
