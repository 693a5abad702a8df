/**
 * Fleet review: the recorders sharing this one's bucket (`GET /api/archive/nodes`; none
 * when the archive is off) and another recorder's archived days and sessions, in the shapes
 * the recordings view reads for local ones.
 */
import { useEffect, useState } from "preact/hooks";
import { localDate } from "../../time.ts";
import type { SessionJson } from "./types.ts";

export interface FleetJson {
  /** This recorder's node id. */
  node: string;
  nodes: { node: string; cameras: { gid: number; seq: number }[] }[];
}

const get = async <T>(url: string): Promise<T> => {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return await res.json();
};

/** The fleet, once known; undefined while loading or when the archive is off (`on` false). */
export function useFleet(on: boolean): FleetJson | undefined {
  const [fleet, setFleet] = useState<FleetJson | undefined>();
  useEffect(() => {
    if (!on) return;
    let alive = true;
    get<FleetJson>("/api/archive/nodes").then((f) => alive && setFleet(f), () => {});
    return () => void (alive = false);
  }, [on]);
  return fleet;
}

/** The other recorders of the fleet (this one left out). */
export const otherNodes = (f: FleetJson | undefined) =>
  f ? f.nodes.filter((n) => n.node !== f.node) : [];

const camPath = (node: string, gid: number, seq: number) =>
  `/api/archive/nodes/${encodeURIComponent(node)}/gid/${gid}/seq/${seq}`;

/** Another recorder's archived days of a camera. */
export function useArchiveDays(node: string, gid: number, seq: number): string[] | undefined {
  const [days, setDays] = useState<string[] | undefined>();
  useEffect(() => {
    setDays(undefined);
    let alive = true;
    get<{ days: string[] }>(`${camPath(node, gid, seq)}/days`)
      .then((r) => alive && setDays(r.days), () => alive && setDays([]));
    return () => void (alive = false);
  }, [node, gid, seq]);
  return days;
}

/** Another recorder's archived day: its sessions and the day's playlist URL. */
export function useArchiveDay(node: string, gid: number, seq: number, date: string) {
  const [day, setDay] = useState<{ sessions?: SessionJson[]; dayUrl?: string }>({});
  useEffect(() => {
    setDay({});
    let alive = true;
    const load = () =>
      get<{ sessions: (SessionJson & { start: string | null })[]; day_url: string | null }>(
        `${camPath(node, gid, seq)}/date/${date}`,
      ).then(
        (r) =>
          alive && setDay({
            sessions: r.sessions.filter((s) => s.start !== null),
            dayUrl: r.day_url ?? undefined,
          }),
        () => alive && setDay((d) => d.sessions ? d : { sessions: [] }),
      );
    load();
    const id = date === localDate(Date.now()) ? setInterval(load, 30_000) : undefined;
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, [node, gid, seq, date]);
  return day;
}
