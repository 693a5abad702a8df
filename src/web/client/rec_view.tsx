/** The recordings views' shared parts: the player with its frame time, and the session buttons. */
import type { ComponentChildren } from "preact";
import { stamp } from "./format.ts";
import { stepSession } from "./timeline_math.ts";
import type { RecPlayer } from "./use_rec_player.ts";

/**
 * Play/Pause (from the day's first recording when nothing plays yet) and previous/next
 * session, for a day's `spans` and `sessions`.
 */
export function sessionControls(
  rec: RecPlayer,
  spans: { start: number }[],
  sessions: Parameters<typeof stepSession>[1] | undefined,
  dayStart: number,
) {
  const toggle = () => {
    const v = rec.video.current;
    if (rec.frame === undefined) rec.playAt(spans[0]?.start ?? dayStart);
    else if (v?.paused) v.play();
    else v?.pause();
  };
  const step = (dir: 1 | -1) => {
    const t = stepSession(rec.frame ?? dayStart, sessions ?? [], dir);
    if (t !== undefined) rec.playAt(t);
  };
  return { toggle, step };
}

/** The toolbar's camera picker: `options` as [key, label]. */
export function CameraField(
  { cam, options, onPick }: {
    cam: string | undefined;
    options: [string, string][];
    onPick: (key: string) => void;
  },
) {
  return (
    <label>
      Camera
      <select value={cam} onChange={(e) => onPick((e.target as HTMLSelectElement).value)}>
        {options.map(([key, label]) => <option key={key} value={key}>{label}</option>)}
      </select>
    </label>
  );
}

/** The toolbar's day picker (an emptied field keeps the day). */
export function DayField({ date, onPick }: { date: string; onPick: (date: string) => void }) {
  return (
    <label>
      Day
      <input
        type="date"
        value={date}
        onChange={(e) => {
          const v = (e.target as HTMLInputElement).value;
          if (v) onPick(v);
        }}
      />
    </label>
  );
}

/** The video, the time of the frame shown, and why playback failed. */
export function RecVideo({ rec, label, muted }: { rec: RecPlayer; label: string; muted: boolean }) {
  return (
    <div class="player">
      <video ref={rec.video} muted={muted} playsInline aria-label={label} />
      <time class="rec-overlay" data-ms={rec.frame ?? ""}>
        {rec.frame === undefined ? "Pick a time on the timeline" : stamp(rec.frame)}
      </time>
      {rec.error && <span class="tile-reason" role="alert">Playback failed: {rec.error}</span>}
    </div>
  );
}

/** Previous session, Play/Pause, next session, then whatever the view adds. */
export function SessionButtons(
  { rec, step, toggle, spaceKey, children }: {
    rec: RecPlayer;
    step: (dir: -1 | 1) => void;
    toggle: () => void;
    /** The view plays/pauses on Space (said to assistive technology). */
    spaceKey?: boolean;
    children?: ComponentChildren;
  },
) {
  return (
    <div class="controls" role="toolbar" aria-label="Playback">
      <button type="button" onClick={() => step(-1)} aria-label="Previous session">
        ‹ Session
      </button>
      <button
        type="button"
        class="play"
        onClick={toggle}
        aria-keyshortcuts={spaceKey ? "Space" : undefined}
      >
        {rec.paused ? "Play" : "Pause"}
      </button>
      <button type="button" onClick={() => step(1)} aria-label="Next session">
        Session ›
      </button>
      {children}
    </div>
  );
}
