/**
 * A month calendar that marks the days holding recordings (and motion events); picking
 * a day selects it. One Tab stop: the arrow keys move between days (a grid with a roving
 * tabindex), Page Up/Down between months, Home/End to the week's ends.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { localDate } from "../../time.ts";

interface Props {
  /** Selected `YYYY-MM-DD`. */
  date: string;
  /** Days with recordings, `YYYY-MM-DD`. */
  days: string[];
  /** Days with motion events, `YYYY-MM-DD` (none when motion detection is not used). */
  eventDays?: string[];
  onPick: (date: string) => void;
  /** The month shown changed (first and last day), to load its marks. */
  onMonth?: (from: string, to: string) => void;
}

const iso = (y: number, m: number, d: number) => localDate(new Date(y, m, d).getTime());
const WEEKDAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
const WEEKDAY_NAMES = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
];

/** The 6x7 cells of a month, Monday first; null outside the month. */
export function monthCells(year: number, month: number): (number | null)[] {
  const lead = (new Date(year, month, 1).getDay() + 6) % 7;
  const count = new Date(year, month + 1, 0).getDate();
  return Array.from({ length: 42 }, (_, i) => {
    const d = i - lead + 1;
    return d >= 1 && d <= count ? d : null;
  });
}

/** The day a key moves to from `day` (`YYYY-MM-DD`), or undefined for other keys. */
export function dayAfterKey(day: string, key: string): string | undefined {
  const [y, m, d] = day.split("-").map(Number);
  const dow = (new Date(y, m - 1, d).getDay() + 6) % 7;
  const moves: Record<string, () => Date> = {
    ArrowLeft: () => new Date(y, m - 1, d - 1),
    ArrowRight: () => new Date(y, m - 1, d + 1),
    ArrowUp: () => new Date(y, m - 1, d - 7),
    ArrowDown: () => new Date(y, m - 1, d + 7),
    Home: () => new Date(y, m - 1, d - dow),
    End: () => new Date(y, m - 1, d + 6 - dow),
    // A month on, on the same day or the month's last.
    PageUp: () => new Date(y, m - 2, Math.min(d, new Date(y, m - 1, 0).getDate())),
    PageDown: () => new Date(y, m, Math.min(d, new Date(y, m + 1, 0).getDate())),
  };
  const to = moves[key]?.();
  return to && localDate(to.getTime());
}

export function Calendar({ date, days, eventDays = [], onPick, onMonth }: Props) {
  const [y0, m0] = date.split("-").map(Number);
  const [view, setView] = useState({ y: y0, m: m0 - 1 });
  const [focusDay, setFocusDay] = useState(date);
  const moved = useRef(false);
  const grid = useRef<HTMLDivElement>(null);
  const has = new Set(days), events = new Set(eventDays);
  const inView = (day: string) => day.startsWith(iso(view.y, view.m, 1).slice(0, 8));
  // The one day that takes Tab: the focused day if shown, else the selected one, else the 1st.
  const tabDay = inView(focusDay) ? focusDay : inView(date) ? date : iso(view.y, view.m, 1);

  useEffect(() => {
    onMonth?.(iso(view.y, view.m, 1), iso(view.y, view.m + 1, 0));
  }, [view.y, view.m]);
  useLayoutEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    grid.current?.querySelector<HTMLElement>(`[data-date="${focusDay}"]`)?.focus();
  }, [focusDay, view]);

  const shift = (n: number) => {
    const d = new Date(view.y, view.m + n, 1);
    setView({ y: d.getFullYear(), m: d.getMonth() });
  };
  const onKey = (e: KeyboardEvent) => {
    const to = dayAfterKey(tabDay, e.key);
    if (!to) return;
    e.preventDefault();
    const [y, m] = to.split("-").map(Number);
    moved.current = true;
    setView({ y, m: m - 1 });
    setFocusDay(to);
  };
  const title = new Date(view.y, view.m, 1).toLocaleDateString("en", {
    month: "long",
    year: "numeric",
  });
  const cells = monthCells(view.y, view.m);
  const weeks = Array.from({ length: 6 }, (_, w) => cells.slice(w * 7, w * 7 + 7))
    .filter((w) => w.some((d) => d !== null));
  return (
    <div class="calendar" role="group" aria-label="Recording days">
      <div class="cal-head">
        <button type="button" class="icon" onClick={() => shift(-1)} aria-label="Previous month">
          ‹
        </button>
        <strong aria-live="polite">{title}</strong>
        <button type="button" class="icon" onClick={() => shift(1)} aria-label="Next month">
          ›
        </button>
      </div>
      <div class="cal-grid" role="grid" aria-label={title} ref={grid} onKeyDown={onKey}>
        <div role="row" class="cal-row">
          {WEEKDAYS.map((w, i) => (
            <span key={w} role="columnheader" class="cal-wd" title={WEEKDAY_NAMES[i]}>{w}</span>
          ))}
        </div>
        {weeks.map((week, wi) => (
          <div role="row" class="cal-row" key={wi}>
            {week.map((d, i) => {
              if (d === null) return <span key={`e${i}`} role="gridcell" class="cal-empty" />;
              const day = iso(view.y, view.m, d);
              const rec = has.has(day), ev = events.has(day);
              return (
                <span role="gridcell" key={day} aria-selected={day === date}>
                  <button
                    type="button"
                    class={`cal-day${rec ? " has-rec" : ""}${ev ? " has-events" : ""}${
                      day === date ? " selected" : ""
                    }`}
                    data-date={day}
                    tabIndex={day === tabDay ? 0 : -1}
                    aria-pressed={day === date}
                    onClick={() => {
                      setFocusDay(day);
                      onPick(day);
                    }}
                  >
                    {d}
                    <span class="visually-hidden">
                      {` ${title}, ${rec ? "has recordings" : "no recordings"}${
                        ev ? ", motion events" : ""
                      }`}
                    </span>
                  </button>
                </span>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
