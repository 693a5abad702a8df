/** Days with recordings for a camera, and one day's sessions (refreshed while it is today). */
import { useEffect, useState } from "preact/hooks";
import { localDateOf } from "./timeline_math.ts";
import type { SessionJson } from "./types.ts";

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
    const today = date === localDateOf(Date.now());
    const id = today ? setInterval(load, 10_000) : undefined;
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, [gid, seq, date]);
  return sessions;
}
