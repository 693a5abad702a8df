/**
 * The day's motion events as a list with their thumbnails: clicking one plays from its
 * start. One Tab stop: the arrow keys move between events.
 */
import { useState } from "preact/hooks";
import { clock, duration } from "./format.ts";
import type { MotionEvent } from "./use_motion.ts";

interface Props {
  events: MotionEvent[];
  position?: number;
  onSeek: (ms: number) => void;
}

/** Moves the focus between the buttons of a list (arrows, Home, End); the index focused. */
export function rovingIndex(e: KeyboardEvent, count: number, at: number): number | undefined {
  const to = {
    ArrowLeft: at - 1,
    ArrowUp: at - 1,
    ArrowRight: at + 1,
    ArrowDown: at + 1,
    Home: 0,
    End: count - 1,
  }[e.key];
  if (to === undefined) return undefined;
  e.preventDefault();
  const i = Math.max(0, Math.min(count - 1, to));
  const list = e.currentTarget as HTMLElement;
  list.querySelectorAll<HTMLElement>("button")[i]?.focus();
  return i;
}

export function EventList({ events, position, onSeek }: Props) {
  const [focus, setFocus] = useState(0);
  if (events.length === 0) return null;
  const current = position === undefined
    ? -1
    : events.findIndex((e) => position >= e.start && position < (e.end ?? Infinity));
  const tab = Math.min(focus, events.length - 1);
  return (
    <section class="events" aria-label="Motion events">
      <h2>Motion events ({events.length})</h2>
      <ol
        onKeyDown={(e) => {
          const i = rovingIndex(e, events.length, tab);
          if (i !== undefined) setFocus(i);
        }}
      >
        {events.map((ev, i) => (
          <li key={ev.id}>
            <button
              type="button"
              class="event"
              tabIndex={i === tab ? 0 : -1}
              aria-current={i === current ? "time" : undefined}
              data-ms={ev.start}
              onClick={() => {
                setFocus(i);
                onSeek(ev.start);
              }}
            >
              <img src={ev.thumbnail} alt="" loading="lazy" width={96} height={54} />
              <span>
                {clock(ev.start)}
                <small class="muted">
                  {ev.end === undefined ? " · going on" : ` · ${duration(ev.end - ev.start)}`}
                  {` · ${Math.round(ev.score * 100)} %`}
                </small>
              </span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
