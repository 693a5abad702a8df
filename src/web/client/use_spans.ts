/** The recorded spans of several cameras on one day (for the synchronized review). */
import { useEffect, useState } from "preact/hooks";
import { localDate } from "../../time.ts";
import { type Span, spansOf } from "./timeline_math.ts";
import type { SessionJson } from "./types.ts";

/** Spans by camera key (`{gid}-{seq}`); reloaded every 10 s while the day is today. */
export function useSpans(keys: string[], date: string): Record<string, Span[]> {
  const [spans, setSpans] = useState<Record<string, Span[]>>({});
  const list = keys.join(",");
  useEffect(() => {
    let alive = true;
    const load = () =>
      Promise.all(keys.map(async (k) => {
        const [gid, seq] = k.split("-");
        const res = await fetch(`/api/recordings/gid/${gid}/seq/${seq}/date/${date}`, {
          signal: AbortSignal.timeout(8000),
        }).catch(() => undefined);
        const json = res?.ok ? await res.json().catch(() => undefined) : undefined;
        return [k, spansOf((json?.sessions ?? []) as SessionJson[])] as const;
      })).then((pairs) => alive && setSpans(Object.fromEntries(pairs)));
    load();
    const id = date === localDate(Date.now()) ? setInterval(load, 10_000) : undefined;
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, [list, date]);
  return spans;
}
