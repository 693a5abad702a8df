/**
 * A camera's motion events of a day, its activity (10 s buckets) and the days with events
 * (GET …/events, …/activity, …/events/days). Without motion data (none recorded, or an
 * older server that answers 404) they are empty: nothing is drawn, nothing is logged.
 */
import { useEffect, useState } from "preact/hooks";
import { localDate } from "../../time.ts";
import type { Activity } from "./timeline_math.ts";

export interface MotionEvent {
  id: string;
  start: number;
  /** Still going on: undefined. */
  end?: number;
  score: number;
  thumbnail: string;
}

const get = async <T>(url: string): Promise<T | undefined> => {
  const res = await fetch(url, { signal: AbortSignal.timeout(8000) }).catch(() => undefined);
  return res?.ok ? await res.json().catch(() => undefined) : undefined;
};

/** Reloads `load` now and every `everyMs` while `date` is today. */
function usePolled(load: (alive: () => boolean) => void, deps: unknown[], date: string) {
  useEffect(() => {
    let alive = true;
    load(() => alive);
    const id = date === localDate(Date.now())
      ? setInterval(() => load(() => alive), 30_000)
      : undefined;
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, deps);
}

export function useEvents(gid: number, seq: number, date: string, from: number, to: number) {
  const [events, setEvents] = useState<MotionEvent[]>([]);
  usePolled(
    (alive) => {
      get<
        {
          events: {
            id: string;
            start: string;
            end: string | null;
            score: number;
            thumbnail_url: string;
          }[];
        }
      >(
        `/api/camera/seq/${seq}/gid/${gid}/events?from=${from}&to=${to}`,
      ).then((r) =>
        alive() && setEvents((r?.events ?? []).map((e) => ({
          id: e.id,
          start: Date.parse(e.start),
          end: e.end ? Date.parse(e.end) : undefined,
          score: e.score,
          thumbnail: e.thumbnail_url,
        })))
      );
    },
    [gid, seq, date],
    date,
  );
  return events;
}

export function useActivity(gid: number, seq: number, date: string): Activity | undefined {
  const [activity, setActivity] = useState<Activity | undefined>();
  usePolled(
    (alive) => {
      get<{ start: string; bucket_seconds: number; levels: string }>(
        `/api/camera/seq/${seq}/gid/${gid}/activity?date=${date}`,
      ).then((r) =>
        alive() && setActivity(
          r && /[1-9]/.test(r.levels)
            ? { start: Date.parse(r.start), bucketMs: r.bucket_seconds * 1000, levels: r.levels }
            : undefined,
        )
      );
    },
    [gid, seq, date],
    date,
  );
  return activity;
}

/** Days with motion events (the last 400 days), `YYYY-MM-DD`. */
export function useEventDays(gid: number, seq: number): string[] {
  const [days, setDays] = useState<string[]>([]);
  useEffect(() => {
    let alive = true;
    get<{ days: { date: string }[] }>(`/api/camera/seq/${seq}/gid/${gid}/events/days`)
      .then((r) => alive && setDays((r?.days ?? []).map((d) => d.date)));
    return () => void (alive = false);
  }, [gid, seq]);
  return days;
}

/** Start of the next (dir 1) or previous (dir -1) event from `ms` (a second of slack back). */
export function stepEvent(ms: number, events: MotionEvent[], dir: 1 | -1): number | undefined {
  if (dir === 1) return events.find((e) => e.start > ms + 500)?.start;
  return events.findLast((e) => e.start < ms - 1500)?.start;
}
