/**
 * Days with recordings for a camera, one day's sessions and its timeline thumbnails
 * (refreshed while it is today).
 */
import { useEffect, useState } from "preact/hooks";
import { localDate } from "../../time.ts";
import type { Thumb } from "./timeline_math.ts";
import type { SessionJson, ThumbnailJson } from "./types.ts";

const get = async <T>(url: string): Promise<T> => {
  const res = await fetch(url, { signal: AbortSignal.timeout(8000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return await res.json();
};

export function useDays(gid: number, seq: number): string[] | undefined {
  const [days, setDays] = useState<string[] | undefined>();
  useEffect(() => {
    setDays(undefined);
    let alive = true;
    get<{ days: string[] }>(`/api/recordings/gid/${gid}/seq/${seq}/days`)
      .then((r) => alive && setDays(r.days), () => alive && setDays([]));
    return () => void (alive = false);
  }, [gid, seq]);
  return days;
}

export function useSessions(gid: number, seq: number, date: string) {
  const [sessions, setSessions] = useState<SessionJson[] | undefined>();
  useEffect(() => {
    setSessions(undefined);
    let alive = true;
    const load = () =>
      get<{ sessions: SessionJson[] }>(`/api/recordings/gid/${gid}/seq/${seq}/date/${date}`)
        .then((r) => alive && setSessions(r.sessions), () => alive && setSessions((s) => s ?? []));
    load();
    const today = date === localDate(Date.now());
    const id = today ? setInterval(load, 10_000) : undefined;
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, [gid, seq, date]);
  return sessions;
}

/** The day's thumbnails, oldest first (none on error); reloaded every minute while today. */
export function useThumbnails(gid: number, seq: number, date: string): Thumb[] {
  const [thumbs, setThumbs] = useState<Thumb[]>([]);
  useEffect(() => {
    setThumbs([]);
    let alive = true;
    const load = () =>
      get<{ thumbnails: ThumbnailJson[] }>(
        `/api/camera/seq/${seq}/gid/${gid}/thumbnails?date=${date}`,
      ).then((r) => {
        if (!alive) return;
        const next = r.thumbnails.map((t) => ({ ms: Date.parse(t.time), url: t.url }));
        setThumbs((old) =>
          old.length === next.length && old.at(-1)?.url === next.at(-1)?.url ? old : next
        );
      }, () => {});
    load();
    const id = date === localDate(Date.now()) ? setInterval(load, 60_000) : undefined;
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, [gid, seq, date]);
  return thumbs;
}
