/** A month calendar that marks the days holding recordings; picking a day selects it. */
import { useState } from "preact/hooks";
import { localDate } from "../../time.ts";

interface Props {
  /** Selected `YYYY-MM-DD`. */
  date: string;
  /** Days with recordings, `YYYY-MM-DD`. */
  days: string[];
  onPick: (date: string) => void;
}

const iso = (y: number, m: number, d: number) => localDate(new Date(y, m, d).getTime());
const WEEKDAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

/** The 6x7 cells of a month, Monday first; null outside the month. */
export function monthCells(year: number, month: number): (number | null)[] {
  const lead = (new Date(year, month, 1).getDay() + 6) % 7;
  const count = new Date(year, month + 1, 0).getDate();
  return Array.from({ length: 42 }, (_, i) => {
    const d = i - lead + 1;
    return d >= 1 && d <= count ? d : null;
  });
}

export function Calendar({ date, days, onPick }: Props) {
  const [y0, m0] = date.split("-").map(Number);
  const [view, setView] = useState({ y: y0, m: m0 - 1 });
  const has = new Set(days);
  const shift = (n: number) => {
    const d = new Date(view.y, view.m + n, 1);
    setView({ y: d.getFullYear(), m: d.getMonth() });
  };
  const title = new Date(view.y, view.m, 1).toLocaleDateString("en", {
    month: "long",
    year: "numeric",
  });
  const cells = monthCells(view.y, view.m);
  return (
    <div class="calendar" aria-label="Recording days">
      <div class="cal-head">
        <button type="button" class="icon" onClick={() => shift(-1)} aria-label="Previous month">
          ‹
        </button>
        <strong aria-live="polite">{title}</strong>
        <button type="button" class="icon" onClick={() => shift(1)} aria-label="Next month">
          ›
        </button>
      </div>
      <div class="cal-grid" role="group" aria-label={title}>
        {WEEKDAYS.map((w) => <span key={w} class="cal-wd" aria-hidden="true">{w}</span>)}
        {cells.map((d, i) => {
          if (d === null) return <span key={`e${i}`} class="cal-empty" />;
          const day = iso(view.y, view.m, d);
          const rec = has.has(day);
          return (
            <button
              key={day}
              type="button"
              class={`cal-day${rec ? " has-rec" : ""}${day === date ? " selected" : ""}`}
              data-date={day}
              aria-pressed={day === date}
              aria-label={`${day}${rec ? ", has recordings" : ", no recordings"}`}
              onClick={() => onPick(day)}
            >
              {d}
            </button>
          );
        })}
      </div>
    </div>
  );
}
