/**
 * The day's thumbnails as a strip under the timeline (scrolls sideways on a phone):
 * clicking one plays from its time, like a click on the timeline. The thumbnail of
 * the moment playing is marked and kept in view. One Tab stop: arrows move between them.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { rovingIndex } from "./event_list.tsx";
import { clock } from "./format.ts";
import { type Thumb, thumbBefore } from "./timeline_math.ts";

interface Props {
  thumbs: Thumb[];
  position?: number;
  onSeek: (ms: number) => void;
}

export function ThumbStrip({ thumbs, position, onSeek }: Props) {
  const strip = useRef<HTMLDivElement>(null);
  const active = position === undefined ? -1 : thumbBefore(position, thumbs);
  const [focus, setFocus] = useState<number | undefined>();
  const tab = Math.min(focus ?? Math.max(0, active), thumbs.length - 1);
  useEffect(() => {
    const box = strip.current;
    const el = box?.children[active] as HTMLElement | undefined;
    // Scrolls the strip only (scrollIntoView could scroll the page too).
    if (box && el) box.scrollLeft = el.offsetLeft - (box.clientWidth - el.offsetWidth) / 2;
  }, [active]);
  if (thumbs.length === 0) return null;
  return (
    <div
      class="thumbs"
      ref={strip}
      role="group"
      aria-label="Thumbnails of the day"
      onKeyDown={(e) => {
        const i = rovingIndex(e, thumbs.length, tab);
        if (i !== undefined) setFocus(i);
      }}
    >
      {thumbs.map((t, i) => (
        <button
          key={t.url}
          type="button"
          class="thumb"
          aria-current={i === active ? "time" : undefined}
          tabIndex={i === tab ? 0 : -1}
          aria-label={`Play from ${clock(t.ms)}`}
          data-ms={t.ms}
          onClick={() => {
            setFocus(i);
            onSeek(t.ms);
          }}
        >
          <img src={t.url} alt="" loading="lazy" width={96} height={54} />
          <time>{clock(t.ms)}</time>
        </button>
      ))}
    </div>
  );
}
