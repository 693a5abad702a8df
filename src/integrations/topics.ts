/**
 * MQTT topic names and the JSON of what is published on them (docs/integrations.md). Pure.
 * Every topic is under `{prefix}/{node}/`; a camera is named `{gid}-{seq}`. Nothing here
 * carries a camera's source address (its password): errors are masked besides.
 */
import type { NvrEvent } from "../events.ts";
import { localDate } from "../time.ts";
import { maskSecrets } from "../util/redact.ts";

export const camName = (gid: number, seq: number) => `${gid}-${seq}`;

export interface Topics {
  availability: string;
  events: string;
  state(gid: number, seq: number): string;
  motion(gid: number, seq: number): string;
  snapshotUrl(gid: number, seq: number): string;
  recordingSet(gid: number, seq: number): string;
  /** The subscription that receives every camera's `recording/set`. */
  recordingSetFilter: string;
}

export function topicsFor(prefix: string, node: string): Topics {
  const root = `${prefix}/${node}`;
  const cam = (gid: number, seq: number) => `${root}/camera/${camName(gid, seq)}`;
  return {
    availability: `${root}/availability`,
    events: `${root}/events`,
    state: (g, s) => `${cam(g, s)}/state`,
    motion: (g, s) => `${cam(g, s)}/motion`,
    snapshotUrl: (g, s) => `${cam(g, s)}/snapshot_url`,
    recordingSet: (g, s) => `${cam(g, s)}/recording/set`,
    recordingSetFilter: `${root}/camera/+/recording/set`,
  };
}

/** A `recording/set` message → the camera and on/off; undefined when it is not one. */
export function parseRecordingSet(
  topics: Topics,
  topic: string,
  payload: string,
): { gid: number; seq: number; on: boolean } | undefined {
  const [head, tail] = topics.recordingSetFilter.split("+");
  if (!topic.startsWith(head) || !topic.endsWith(tail)) return undefined;
  const m = /^(\d{1,9})-(\d{1,9})$/.exec(topic.slice(head.length, topic.length - tail.length));
  const word = payload.trim().toUpperCase();
  if (!m || (word !== "ON" && word !== "OFF")) return undefined;
  return { gid: Number(m[1]), seq: Number(m[2]), on: word === "ON" };
}

/** What the state topic tells of a camera. */
export interface CameraStateInput {
  state: string;
  isRec: 0 | 1;
  lastSegmentAt?: number;
  lastError?: string;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** The retained JSON of `camera/{gid}-{seq}/state`. */
export function statePayload(s: CameraStateInput): string {
  return JSON.stringify({
    state: s.state,
    isRec: s.isRec,
    last_segment_at: iso(s.lastSegmentAt),
    last_error: s.lastError === undefined ? null : maskSecrets(s.lastError),
  });
}

/** The absolute links events carry. */
export interface Links {
  /** The camera's latest picture (`?t=` makes each URL new, so a viewer fetches it again). */
  snapshot(gid: number, seq: number, at: number): string;
  /** The recordings page of the camera at that moment. */
  review(gid: number, seq: number, at: number): string;
  /** A motion event's own picture, at its peak (`GET /{gid}/{seq}/events/{id}.jpg`). */
  eventThumbnail(gid: number, seq: number, id: string): string;
}

export function linksFor(base: string): Links {
  return {
    snapshot: (g, s, at) => `${base}/${g}/${s}/snapshot.jpg?t=${at}`,
    review: (g, s, at) =>
      `${base}/recordings?cam=${camName(g, s)}&date=${localDate(at)}&t=${
        encodeURIComponent(new Date(at).toISOString())
      }`,
    eventThumbnail: (g, s, id) => `${base}/${g}/${s}/events/${encodeURIComponent(id)}.jpg`,
  };
}

/** The JSON of one event on `{prefix}/{node}/events` and in webhooks. */
export type EventPayload = Record<string, unknown> & { type: string; node: string };

/**
 * The message of a hub event, or undefined for events that have no message (state
 * changes have their own topic; motion updates and camera list changes are not sent).
 */
export function eventPayload(e: NvrEvent, node: string, links: Links): EventPayload | undefined {
  switch (e.type) {
    case "motion": {
      if (e.phase === "update") return undefined;
      const m = e.event;
      return {
        type: "motion",
        phase: e.phase,
        node,
        camera: camName(e.gid, e.seq),
        gid: e.gid,
        seq: e.seq,
        id: m.id,
        at: iso(e.at),
        start: iso(m.start),
        end: iso(m.end),
        score: m.score,
        box: m.box,
        snapshot_url: links.snapshot(e.gid, e.seq, m.peak ?? m.start),
        thumbnail_url: links.eventThumbnail(e.gid, e.seq, m.id),
        review_url: links.review(e.gid, e.seq, m.start),
      };
    }
    case "camera_offline":
    case "camera_online":
      return {
        type: e.type,
        node,
        camera: camName(e.gid, e.seq),
        gid: e.gid,
        seq: e.seq,
        at: iso(e.at),
        ...(e.type === "camera_offline" ? { reason: maskSecrets(e.reason) } : {}),
        review_url: links.review(e.gid, e.seq, e.at),
      };
    case "recording_paused":
      return { type: e.type, node, at: iso(e.at), reason: maskSecrets(e.reason) };
    case "recording_resumed":
      return { type: e.type, node, at: iso(e.at) };
    case "storage_low":
      return { type: e.type, node, at: iso(e.at), free_bytes: e.freeBytes };
    default:
      return undefined;
  }
}
