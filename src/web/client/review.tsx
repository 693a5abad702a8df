/**
 * Synchronized review: 2–9 cameras playing the same instant from one master clock.
 * Seek, speed, pause and frame step act on every tile; each tile follows the clock
 * through its recording's PROGRAM-DATE-TIME (see sync_tile.ts). The URL
 * `/review?cams=1-1,1-2&t=…Z` names the moment and is kept current.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { localDate } from "../../time.ts";
import { stamp } from "./format.ts";
import { ReviewTile } from "./review_tile.tsx";
import { REVIEW_SPEEDS, reviewUrl, SyncClock } from "./sync_math.ts";
import type { SyncTile } from "./sync_tile.ts";
import { Timeline } from "./timeline.tsx";
import { dayBounds, type Span } from "./timeline_math.ts";
import { type CameraJson, camKey } from "./types.ts";
import { useSpans } from "./use_spans.ts";
import { CameraPicker } from "./review_picker.tsx";
import { isTyping, parseLocalDateTime, toLocalInput } from "./time_input.ts";

export interface ReviewProps {
  cameras: CameraJson[];
  cams?: string[];
  /** Epoch ms to open at. */
  t?: number;
}

/** How long a seek waits for every tile's first frame before the clock goes on. */
const HOLD_MS = 5000;
/** When every tile's frames are this late, the clock steps back to the least late. */
const LATE_MS = 120;

export function Review(props: ReviewProps) {
  const known = new Set(props.cameras.map(camKey));
  const initial = (props.cams ?? []).filter((k) => known.has(k));
  const [keys, setKeys] = useState(
    initial.length ? initial : defaultCams(props.cameras),
  );
  const clock = useRef<SyncClock | undefined>(undefined);
  clock.current ??= new SyncClock(props.t ?? Date.now() - 120_000, () => performance.now());
  const c = clock.current;
  // For debugging and tests: the master clock, and whether it waits for the tiles after a seek.
  (globalThis as { nvrReview?: unknown }).nvrReview = {
    clock: c,
    holding: () => hold.current !== undefined || starting.current !== undefined,
  };
  const tiles = useRef(new Map<string, SyncTile>());
  const hold = useRef<number | undefined>(performance.now() + HOLD_MS);
  const wantPlay = useRef(true);
  /** Set while the tiles start after a seek (until when to wait for them). */
  const starting = useRef<number | undefined>(undefined);
  const [now, setNow] = useState(c.time());
  const [playing, setPlaying] = useState(true);
  const [rate, setRate] = useState(1);
  const [goto, setGoto] = useState("");
  const date = localDate(now);
  const spans = useSpans(keys, date);
  const union = useMemo(() => mergeSpans(Object.values(spans).flat()), [spans]);
  const { start: dayStart, end: dayEnd } = dayBounds(date);

  useEffect(() => {
    let last = 0, lastWait = 0;
    const id = setInterval(() => {
      const all = [...tiles.current.values()];
      const h = hold.current;
      const t = c.time();
      if (h !== undefined && !starting.current) {
        // Every tile shows the instant (or waited long enough): start them all together…
        if (all.every((tile) => tile.ready(t)) || performance.now() > h) {
          if (!wantPlay.current) hold.current = undefined;
          else {
            starting.current = performance.now() + 600;
            for (const tile of all) tile.start(c.rate);
          }
        }
      } else if (starting.current !== undefined) {
        // …and run the clock from the frames they show once they all play.
        if (all.every((tile) => tile.started()) || performance.now() > starting.current) {
          const shown = all.map((tile) => tile.started() && tile.frameTime())
            .filter((x): x is number => typeof x === "number").sort((a, b) => a - b);
          if (shown.length) c.seek(shown[shown.length >> 1]);
          c.play();
          starting.current = hold.current = undefined;
        }
        return;
      }
      // Every tile late (a browser short of CPU decodes them all late): the clock waits for
      // them instead of making them all seek.
      const drifts = all.map((tile) => tile.drift());
      if (
        c.playing && drifts.length > 1 && drifts.every((d) => d !== undefined && d < -LATE_MS) &&
        performance.now() - lastWait > 1000
      ) {
        c.seek(t + Math.max(...(drifts as number[])));
        lastWait = performance.now();
      }
      for (const tile of all) tile.sync(c.time(), c.rate, c.playing);
      if (performance.now() - last > 200) {
        last = performance.now();
        setNow(c.time());
      }
    }, 40);
    return () => clearInterval(id);
  }, []);

  useEffect(() => {
    const id = setTimeout(() => history.replaceState(null, "", reviewUrl(keys, now)), 300);
    return () => clearTimeout(id);
  }, [keys, Math.floor(now / 1000)]);

  /** Every tile to `ms`; the clock waits (up to HOLD_MS) until they show it. */
  const seek = (ms: number) => {
    starting.current = undefined;
    c.pause();
    c.seek(ms);
    hold.current = performance.now() + HOLD_MS;
    setNow(ms);
  };
  const toggle = () => {
    wantPlay.current = !wantPlay.current;
    starting.current = undefined;
    c.pause();
    // Playing again: the tiles start together from the frames they show (see the tick).
    hold.current = wantPlay.current ? performance.now() + HOLD_MS : undefined;
    setPlaying(wantPlay.current);
    setNow(c.time());
  };
  const step = (dir: 1 | -1) => {
    if (wantPlay.current) toggle();
    const first = tiles.current.get(keys[0]);
    c.seek(c.time() + dir * (first?.frameMs ?? 40));
    setNow(c.time());
  };
  const speed = (r: number) => {
    c.setRate(r);
    for (const tile of tiles.current.values()) tile.video.playbackRate = r;
    setRate(r);
  };
  const register = (key: string, tile: SyncTile | undefined) => {
    if (tile) {
      tile.clockAt = (at) => c.time(at);
      tiles.current.set(key, tile);
    } else tiles.current.delete(key);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const target = e.target as HTMLElement;
      const onControl = target.closest?.("button, a, summary");
      if (e.key === " " && !onControl) toggle();
      else if (e.key === ",") step(-1);
      else if (e.key === ".") step(1);
      else return;
      e.preventDefault();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  });

  const cams = keys.flatMap((k) => props.cameras.filter((cam) => camKey(cam) === k));
  if (props.cameras.length === 0) {
    return (
      <p class="empty">
        No camera yet. <a href="/cameras">Add a camera</a>.
      </p>
    );
  }
  return (
    <div class="review">
      <div class="section-head">
        <h1>Review</h1>
        <CameraPicker cameras={props.cameras} selected={keys} onChange={setKeys} />
      </div>
      <div class={`review-grid n${cams.length}`}>
        {cams.map((cam) => (
          <ReviewTile
            key={camKey(cam)}
            cam={cam}
            spans={spans[camKey(cam)]}
            register={register}
          />
        ))}
      </div>
      <div class="review-bar">
        <time class="rec-overlay review-clock" data-ms={Math.round(now)} aria-live="off">
          {stamp(now)}
        </time>
        <div class="controls" role="toolbar" aria-label="Playback of all cameras">
          <button type="button" onClick={() => seek(c.time() - 10_000)}>−10 s</button>
          <button type="button" onClick={() => step(-1)} aria-keyshortcuts=",">
            ‹ Frame
          </button>
          <button type="button" class="primary play" onClick={toggle} aria-keyshortcuts="Space">
            {playing ? "Pause" : "Play"}
          </button>
          <button type="button" onClick={() => step(1)} aria-keyshortcuts=".">
            Frame ›
          </button>
          <button type="button" onClick={() => seek(c.time() + 10_000)}>+10 s</button>
          <label class="speed">
            Speed
            <select
              value={String(rate)}
              onChange={(e) => speed(Number((e.target as HTMLSelectElement).value))}
            >
              {REVIEW_SPEEDS.map((s) => <option key={s} value={String(s)}>{s}x</option>)}
            </select>
          </label>
        </div>
      </div>
      <Timeline
        dayStart={dayStart}
        dayEnd={dayEnd}
        spans={union}
        gaps={[]}
        position={now}
        onSeek={seek}
        initialZoom={1}
      />
      <div class="review-foot">
        <form
          class="goto"
          onSubmit={(e) => {
            e.preventDefault();
            const ms = parseLocalDateTime(goto, now);
            if (ms !== undefined) seek(ms);
            setGoto("");
          }}
        >
          <label>
            Go to
            <input
              type="datetime-local"
              step={1}
              value={goto || toLocalInput(now)}
              onInput={(e) => setGoto((e.target as HTMLInputElement).value)}
            />
          </label>
          <button type="submit">Go</button>
        </form>
        <p class="muted shortcuts">
          Keys: Space play/pause · , and . previous/next frame · arrows on the timeline step (1 min,
          10 s or 1 s by zoom) · Home/End the day's first/last recording.
        </p>
      </div>
    </div>
  );
}

/** Without `cams=`: the cameras of the first group that has two or more, else the first nine. */
function defaultCams(cameras: CameraJson[]): string[] {
  const groups = new Map<number, string[]>();
  for (const c of cameras) groups.set(c.gid, [...(groups.get(c.gid) ?? []), camKey(c)]);
  const group = [...groups.values()].find((g) => g.length >= 2);
  return (group ?? cameras.map(camKey)).slice(0, 9);
}

/** Spans of several cameras joined where they overlap (for one timeline). */
export function mergeSpans(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}
