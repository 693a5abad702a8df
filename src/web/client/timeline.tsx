/**
 * The 24-hour bar: recorded spans, gaps with reasons, play position; click to seek.
 * With a mouse, hovering shows the day's nearest thumbnail above the pointer.
 */
import { useMemo, useState } from "preact/hooks";
import { clock, duration } from "./format.ts";
import {
  barOf,
  fractionOf,
  type Gap,
  hourTicks,
  type Span,
  type Thumb,
  thumbNear,
  thumbReach,
  timeAtFraction,
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
}

const pct = (n: number) => `${n.toFixed(4)}%`;

export function Timeline(
  { dayStart, dayEnd, spans, gaps, position, onSeek, thumbs = [] }: Props,
) {
  const [hover, setHover] = useState<{ x: number; ms: number } | undefined>();
  const reach = useMemo(() => thumbReach(thumbs), [thumbs]);
  const move = (e: PointerEvent) => {
    if (e.pointerType === "touch" || thumbs.length === 0) return setHover(undefined);
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const x = e.clientX - r.left;
    setHover({ x, ms: timeAtFraction(x / r.width, dayStart, dayEnd) });
  };
  const near = hover ? thumbNear(hover.ms, thumbs, reach) : -1;
  const click = (e: MouseEvent) => {
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    onSeek(timeAtFraction((e.clientX - r.left) / r.width, dayStart, dayEnd));
  };
  const key = (e: KeyboardEvent) => {
    const step = { ArrowLeft: -60_000, ArrowRight: 60_000, PageUp: -600_000, PageDown: 600_000 }[
      e.key
    ];
    if (step === undefined) return;
    e.preventDefault();
    onSeek(Math.min(dayEnd - 1, Math.max(dayStart, (position ?? dayStart) + step)));
  };
  const pos = position === undefined ? undefined : fractionOf(position, dayStart, dayEnd) * 100;
  return (
    <div class="timeline-wrap">
      <div
        class="timeline"
        role="slider"
        tabIndex={0}
        aria-label="Time of day"
        aria-valuemin={0}
        aria-valuemax={24}
        aria-valuenow={pos === undefined ? 0 : (pos * 24) / 100}
        aria-valuetext={position === undefined ? "not playing" : clock(position)}
        data-day-start={dayStart}
        data-day-end={dayEnd}
        onClick={click}
        onKeyDown={key}
        onPointerMove={move}
        onPointerLeave={() => setHover(undefined)}
      >
        {gaps.map((g) => {
          const b = barOf(g.start, g.end, dayStart, dayEnd);
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
          const b = barOf(s.start, s.end, dayStart, dayEnd);
          return (
            <span
              key={`s${s.start}`}
              class="span"
              style={{ left: pct(b.left), width: `max(2px, ${pct(b.width)})` }}
              title={`Recorded ${clock(s.start)}–${clock(s.end)}`}
            />
          );
        })}
        {pos !== undefined && <span class="playhead" style={{ left: pct(pos) }} />}
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
        {hourTicks(dayStart, dayEnd, 3).map((t) => (
          <span key={t.label} style={{ left: pct(t.left) }}>{t.label}</span>
        ))}
      </div>
    </div>
  );
}
