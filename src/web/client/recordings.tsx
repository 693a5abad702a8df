/**
 * The recordings tab: camera and day pickers, calendar, 24-hour timeline with the
 * day's thumbnails, player, export.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { Calendar } from "./calendar.tsx";
import { ClipExport } from "./clip_export.tsx";
import { bytes, duration, stamp } from "./format.ts";
import { ThumbStrip } from "./thumb_strip.tsx";
import { Timeline } from "./timeline.tsx";
import { dayBounds, gapsOf, spansOf, stepSession } from "./timeline_math.ts";
import { type CameraJson, camKey } from "./types.ts";
import { useDays, useSessions, useThumbnails } from "./use_day.ts";
import { useRecPlayer } from "./use_rec_player.ts";

export interface RecordingsProps {
  cameras: CameraJson[];
  cam?: string;
  date: string;
}

const SPEEDS = [1, 2, 4, 8];

export function Recordings(props: RecordingsProps) {
  const [cam, setCam] = useState(props.cam ?? (props.cameras[0] && camKey(props.cameras[0])));
  const [date, setDate] = useState(props.date);
  const [speed, setSpeed] = useState(1);
  /** Recordings start muted (browsers only autoplay muted video); a tap turns sound on. */
  const [sound, setSound] = useState(false);
  const camera = props.cameras.find((c) => camKey(c) === cam);
  const gid = camera?.gid ?? 0, seq = camera?.seq ?? 0;
  const days = useDays(gid, seq);
  const sessions = useSessions(gid, seq, date);
  const thumbs = useThumbnails(gid, seq, date);
  const { start: dayStart, end: dayEnd } = dayBounds(date);
  const spans = useMemo(() => spansOf(sessions ?? []), [sessions]);
  const gaps = useMemo(() => gapsOf(sessions ?? []), [sessions]);
  const rec = useRecPlayer(gid, seq, spans, dayEnd, speed);

  useEffect(() => {
    history.replaceState(null, "", `/recordings?cam=${cam ?? ""}&date=${date}`);
  }, [cam, date]);

  if (!camera) {
    return (
      <p class="empty">
        No camera yet. <a href="/cameras">Add a camera</a>.
      </p>
    );
  }
  const total = spans.reduce((n, s) => n + s.end - s.start, 0);
  const size = (sessions ?? []).reduce((n, s) => n + s.bytes, 0);
  const step = (dir: 1 | -1) => {
    const t = stepSession(rec.frame ?? dayStart, sessions ?? [], dir);
    if (t !== undefined) rec.playAt(t);
  };
  return (
    <div class="rec-layout">
      <div class="rec-main">
        <div class="toolbar">
          <label>
            Camera
            <select value={cam} onChange={(e) => setCam((e.target as HTMLSelectElement).value)}>
              {props.cameras.map((c) => (
                <option key={camKey(c)} value={camKey(c)}>{c.name} (G{c.gid} #{c.seq})</option>
              ))}
            </select>
          </label>
          <label>
            Day
            <input
              type="date"
              value={date}
              onChange={(e) => {
                const v = (e.target as HTMLInputElement).value;
                if (v) setDate(v);
              }}
            />
          </label>
        </div>
        <div class="player">
          <video
            ref={rec.video}
            muted={!sound}
            playsInline
            aria-label={`Recording of ${camera.name}`}
          />
          <time class="rec-overlay" data-ms={rec.frame ?? ""}>
            {rec.frame === undefined ? "Pick a time on the timeline" : stamp(rec.frame)}
          </time>
          {rec.error && <span class="tile-reason" role="alert">Playback failed: {rec.error}</span>}
        </div>
        <div class="controls" role="toolbar" aria-label="Playback">
          <button type="button" onClick={() => step(-1)} aria-label="Previous session">
            ‹ Session
          </button>
          <button
            type="button"
            onClick={() => {
              const v = rec.video.current;
              if (rec.frame === undefined) rec.playAt(spans[0]?.start ?? dayStart);
              else if (v?.paused) v.play();
              else v?.pause();
            }}
          >
            Play / Pause
          </button>
          <button type="button" onClick={() => step(1)} aria-label="Next session">
            Session ›
          </button>
          {camera.audio && (
            <button
              type="button"
              aria-pressed={sound}
              onClick={() => setSound(!sound)}
            >
              {sound ? "Sound on" : "Sound off"}
            </button>
          )}
          <span class="speeds" role="group" aria-label="Speed">
            {SPEEDS.map((s) => (
              <button
                key={s}
                type="button"
                aria-pressed={speed === s}
                onClick={() => setSpeed(s)}
              >
                {s}x
              </button>
            ))}
          </span>
        </div>
        <Timeline
          dayStart={dayStart}
          dayEnd={dayEnd}
          spans={spans}
          gaps={gaps}
          position={rec.frame}
          onSeek={rec.playAt}
          thumbs={thumbs}
        />
        <ThumbStrip thumbs={thumbs} position={rec.frame} onSeek={rec.playAt} />
        <p class="muted day-summary" aria-live="polite">
          {sessions === undefined
            ? "Loading…"
            : sessions.length === 0
            ? "No recordings on this day."
            : `${sessions.length} session${sessions.length > 1 ? "s" : ""} · ${
              duration(total)
            } recorded · ${bytes(size)} · ${gaps.length} gap${gaps.length === 1 ? "" : "s"}`}
        </p>
      </div>
      <aside class="rec-side">
        <Calendar key={cam} date={date} days={days ?? []} onPick={setDate} />
        <ClipExport camera={camera} at={rec.frame} day={dayStart} />
      </aside>
    </div>
  );
}
