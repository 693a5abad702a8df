/**
 * The day's bar: recorded spans (archive-only ones hatched, with a legend), gaps with
 * reasons, motion activity and events, play position; click to seek. Zooms to an hour or ten minutes around the position (buttons,
 * or a pinch on touch). Keys: arrows step (1 min, 10 s or 1 s by zoom), Page Up/Down ten
 * steps, Home/End the day's first and last recording. With a mouse, hovering shows the
 * day's nearest thumbnail above the pointer.
 */
import { useMemo, useRef, useState } from "preact/hooks";
import { clock, duration } from "./format.ts";
import {
  type Activity,
  activityBars,
  barOf,
  fractionOf,
  type Gap,
  hourTicks,
  type Span,
  type Thumb,
  thumbNear,
  thumbReach,
  ticksFor,
  timeAtFraction,
  viewWindow,
  ZOOMS,
} from "./timeline_math.ts";

interface Props {
  dayStart: number;
  dayEnd: number;
  spans: Span[];
  gaps: Gap[];
  position?: number;
  onSeek: (ms: number) => void;
  /** The day's thumbnails, oldest first. */
  thumbs?: Thumb[];
  /** The day's motion activity, and its events (start, end), when motion detection is on. */
  activity?: Activity;
  events?: { start: number; end: number }[];
  /** Index in ZOOMS to open at (default: the whole day). */
  initialZoom?: number;
}

const pct = (n: number) => `${n.toFixed(4)}%`;

/** What a span's tooltip adds about where it is kept. */
const WHERE_NOTE = {
  local: "",
  both: " (local and archived)",
  archive: " (archive only)",
} as const;

export function Timeline(
  {
    dayStart,
    dayEnd,
    spans,
    gaps,
    position,
    onSeek,
    thumbs = [],
    activity,
    events = [],
    initialZoom = 0,
  }: Props,
) {
  const [hover, setHover] = useState<{ x: number; ms: number } | undefined>();
  const [zoom, setZoom] = useState(initialZoom);
  const pinch = useRef(new Map<number, number>());
  const pinchStart = useRef(0);
  const reach = useMemo(() => thumbReach(thumbs), [thumbs]);
  const z = ZOOMS[zoom];
  const { start, end } = viewWindow(
    z.ms,
    position ?? dayStart + (dayEnd - dayStart) / 2,
    dayStart,
    dayEnd,
  );
  const move = (e: PointerEvent) => {
    if (pinch.current.has(e.pointerId)) {
      pinch.current.set(e.pointerId, e.clientX);
      if (pinch.current.size === 2) {
        const [a, b] = [...pinch.current.values()];
        const ratio = Math.abs(a - b) / Math.max(1, pinchStart.current);
        const next = ratio > 1.5 ? zoom + 1 : ratio < 0.67 ? zoom - 1 : zoom;
        if (next !== zoom && next >= 0 && next < ZOOMS.length) {
          setZoom(next);
          pinchStart.current = Math.abs(a - b);
        }
      }
    }
    if (e.pointerType === "touch" || thumbs.length === 0) return setHover(undefined);
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const x = e.clientX - r.left;
    setHover({ x, ms: timeAtFraction(x / r.width, start, end) });
  };
  const down = (e: PointerEvent) => {
    if (e.pointerType !== "touch") return;
    pinch.current.set(e.pointerId, e.clientX);
    if (pinch.current.size === 2) {
      const [a, b] = [...pinch.current.values()];
      pinchStart.current = Math.abs(a - b);
    }
  };
  const up = (e: PointerEvent) => pinch.current.delete(e.pointerId);
  const near = hover ? thumbNear(hover.ms, thumbs, reach) : -1;
  const click = (e: MouseEvent) => {
    if (pinch.current.size > 1) return;
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    onSeek(timeAtFraction((e.clientX - r.left) / r.width, start, end));
  };
  const key = (e: KeyboardEvent) => {
    const here = position ?? dayStart;
    const to = {
      ArrowLeft: here - z.keyMs,
      ArrowRight: here + z.keyMs,
      PageUp: here - 10 * z.keyMs,
      PageDown: here + 10 * z.keyMs,
      Home: spans[0]?.start ?? dayStart,
      End: spans.length ? spans[spans.length - 1].end - 1000 : dayEnd - 1,
    }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    onSeek(Math.min(dayEnd - 1, Math.max(dayStart, to)));
  };
  const pos = position === undefined ? undefined : fractionOf(position, start, end) * 100;
  const inView = position !== undefined && position >= start && position <= end;
  const bars = useMemo(
    () => activity ? activityBars(activity, start, end) : [],
    [activity, Math.round(start / 10_000)],
  );
  const archived = useMemo(() => spans.filter((x) => x.where === "archive"), [spans]);
  const ticks = zoom === 0 ? hourTicks(dayStart, dayEnd, 3) : ticksFor(start, end, z.tickMs);
  return (
    <>
      <div class="timeline-wrap">
        <div class="zoom" role="group" aria-label="Timeline zoom">
          {ZOOMS.map((o, i) => (
            <button
              key={o.label}
              type="button"
              aria-pressed={zoom === i}
              onClick={() => setZoom(i)}
            >
              {o.label}
            </button>
          ))}
        </div>
        <div
          class="timeline"
          role="slider"
          tabIndex={0}
          aria-label="Time of day"
          aria-valuemin={0}
          aria-valuemax={24}
          aria-valuenow={position === undefined
            ? 0
            : Math.round(fractionOf(position, dayStart, dayEnd) * 24 * 1000) / 1000}
          aria-valuetext={position === undefined ? "not playing" : clock(position)}
          aria-keyshortcuts="Home End ArrowLeft ArrowRight PageUp PageDown"
          data-day-start={start}
          data-day-end={end}
          data-zoom={z.label}
          onClick={click}
          onKeyDown={key}
          onPointerDown={down}
          onPointerUp={up}
          onPointerCancel={up}
          onPointerMove={move}
          onPointerLeave={(e) => {
            up(e);
            setHover(undefined);
          }}
        >
          {bars.map((b) => (
            <span
              key={`a${b.left}`}
              class="activity"
              style={{
                left: pct(b.left),
                width: `max(1px, ${pct(b.width)})`,
                opacity: 0.3 + b.level * 0.07,
              }}
            />
          ))}
          {gaps.map((g) => {
            const b = barOf(g.start, g.end, start, end);
            return (
              <span
                key={`g${g.start}`}
                class={`gap gap-${g.reason.replace(/\W+/g, "-")}`}
                style={{ left: pct(b.left), width: pct(b.width) }}
                title={`${clock(g.start)}–${clock(g.end)}: ${g.reason} (${
                  duration(g.end - g.start)
                })`}
              />
            );
          })}
          {spans.map((s) => {
            const b = barOf(s.start, s.end, start, end);
            if (b.width === 0 && (s.end < start || s.start > end)) return null;
            return (
              <span
                key={`s${s.start}`}
                class={s.where === "archive" ? "span span-archive" : "span"}
                data-where={s.where ?? "local"}
                style={{ left: pct(b.left), width: `max(2px, ${pct(b.width)})` }}
                title={`Recorded ${clock(s.start)}–${clock(s.end)}${
                  WHERE_NOTE[s.where ?? "local"]
                }`}
              />
            );
          })}
          {events.filter((ev) => ev.end >= start && ev.start <= end).map((ev) => {
            const b = barOf(ev.start, ev.end, start, end);
            return (
              <span
                key={`e${ev.start}`}
                class="event-mark"
                style={{ left: pct(b.left), width: `max(3px, ${pct(b.width)})` }}
              />
            );
          })}
          {inView && pos !== undefined && <span class="playhead" style={{ left: pct(pos) }} />}
        </div>
        {hover && near >= 0 && (
          <div
            class="thumb-preview"
            aria-hidden="true"
            style={{ left: `clamp(0px, ${hover.x.toFixed(0)}px - 80px, 100% - 160px)` }}
          >
            <img src={thumbs[near].url} alt="" width={160} height={90} />
            <time>{clock(thumbs[near].ms)}</time>
          </div>
        )}
        <div class="ticks" aria-hidden="true">
          {ticks.map((t) => <span key={t.label} style={{ left: pct(t.left) }}>{t.label}</span>)}
        </div>
      </div>
      {archived.length > 0 && (
        <p class="timeline-legend" role="note">
          <span class="key key-local" aria-hidden="true" /> On this recorder's disk
          <span class="key key-archive" aria-hidden="true" /> Archive only:{" "}
          {archived.length === 1 ? "1 stretch" : `${archived.length} stretches`},{" "}
          {duration(archived.reduce((n, x) => n + x.end - x.start, 0))} (first{" "}
          {clock(archived[0].start)}–{clock(archived[0].end)}), played from the archive
        </p>
      )}
    </>
  );
}
