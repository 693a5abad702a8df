/**
 * The recordings tab: camera and day pickers, calendar, the day's timeline (zoomable) with
 * its thumbnails and motion events, player, export. The moment playing stays in the URL
 * (`t=`) and is kept when the camera changes (same instant) or the day (same time of day).
 * Keys: Space plays/pauses anywhere, [ and ] go to the previous/next motion event.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { Calendar } from "./calendar.tsx";
import { ClipExport } from "./clip_export.tsx";
import { EventList } from "./event_list.tsx";
import { bytes, duration } from "./format.ts";
import { ThumbStrip } from "./thumb_strip.tsx";
import { Speeds } from "./speeds.tsx";
import { Timeline } from "./timeline.tsx";
import { dayBounds, gapsOf, spansOf } from "./timeline_math.ts";
import { isTyping, parseLocalDateTime } from "./time_input.ts";
import { type CameraJson, camKey } from "./types.ts";
import { useDays, useSessions, useThumbnails } from "./use_day.ts";
import { stepEvent, useActivity, useEventDays, useEvents } from "./use_motion.ts";
import { useRecPlayer } from "./use_rec_player.ts";
import { CameraField, DayField, RecVideo, SessionButtons, sessionControls } from "./rec_view.tsx";
import { reviewUrl } from "./sync_math.ts";

export interface RecordingsProps {
  cameras: CameraJson[];
  cam?: string;
  date: string;
  /** Instant (epoch ms) to play from. */
  t?: number;
  /** The archive is on: offer the other recorders sharing its bucket (fleet review). */
  archive?: boolean;
  /** Another recorder to review (fleet review), from the URL. */
  node?: string;
}

/** This recorder's recordings (`picker`: the recorder picker of fleet review, if any). */
export function LocalRecordings(props: RecordingsProps & { picker: ComponentChildren }) {
  const [cam, setCam] = useState(props.cam ?? (props.cameras[0] && camKey(props.cameras[0])));
  const [date, setDate] = useState(props.date);
  const [speed, setSpeed] = useState(1);
  const [goto, setGoto] = useState("");
  /** Recordings start muted (browsers only autoplay muted video); a tap turns sound on. */
  const [sound, setSound] = useState(false);
  const camera = props.cameras.find((c) => camKey(c) === cam);
  const gid = camera?.gid ?? 0, seq = camera?.seq ?? 0;
  const days = useDays(gid, seq);
  const sessions = useSessions(gid, seq, date);
  const thumbs = useThumbnails(gid, seq, date);
  const { start: dayStart, end: dayEnd } = dayBounds(date);
  const events = useEvents(gid, seq, date, dayStart, dayEnd);
  const activity = useActivity(gid, seq, date);
  const eventDays = useEventDays(gid, seq);
  const spans = useMemo(() => spansOf(sessions ?? []), [sessions]);
  const gaps = useMemo(() => gapsOf(sessions ?? []), [sessions]);
  const rec = useRecPlayer(gid, seq, spans, dayEnd, speed);
  /** The instant to play once the day's recordings are known (URL, camera or day change). */
  const pending = useRef<number | undefined>(props.t);

  useEffect(() => {
    if (pending.current === undefined || sessions === undefined) return;
    if (spans.length) rec.playAt(pending.current);
    pending.current = undefined;
  }, [spans, sessions]);

  // The moment in the URL: the frame shown, or the one about to be (camera or day changed).
  const moment = rec.frame ?? pending.current;
  const second = moment === undefined ? undefined : Math.floor(moment / 1000);
  useEffect(() => {
    const t = second === undefined ? "" : `&t=${new Date(second * 1000).toISOString()}`;
    history.replaceState(null, "", `/recordings?cam=${cam ?? ""}&date=${date}${t}`);
  }, [cam, date, second]);

  const { toggle, step } = sessionControls(rec, spans, sessions, dayStart);
  const toEvent = (dir: 1 | -1) => {
    const t = stepEvent(rec.frame ?? dayStart, events, dir);
    if (t !== undefined) rec.playAt(t);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const onControl = (e.target as HTMLElement).closest?.("button, a, summary");
      if (e.key === " " && !onControl) toggle();
      else if (e.key === "[") toEvent(-1);
      else if (e.key === "]") toEvent(1);
      else return;
      e.preventDefault();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  });

  if (!camera) {
    return (
      <p class="empty">
        No camera yet. <a href="/cameras">Add a camera</a>.
      </p>
    );
  }
  const pickCam = (key: string) => {
    pending.current = rec.frame ?? pending.current; // the same instant on the other camera
    setCam(key);
  };
  const pickDate = (d: string) => {
    if (d === date) return;
    // The same time of day on the other day.
    if (rec.frame !== undefined) pending.current = dayBounds(d).start + rec.frame - dayStart;
    setDate(d);
  };
  const total = spans.reduce((n, s) => n + s.end - s.start, 0);
  const size = (sessions ?? []).reduce((n, s) => n + s.bytes, 0);
  const notice = rec.skipped ? `Skipped ${duration(rec.skipped.ms)}, no recording` : "";
  return (
    <div class="rec-layout">
      <div class="rec-main">
        <div class="toolbar">
          {props.picker}
          <CameraField
            cam={cam}
            options={props.cameras.map((c) => [camKey(c), `${c.name} (G${c.gid} #${c.seq})`])}
            onPick={pickCam}
          />
          <DayField date={date} onPick={pickDate} />
          <form
            class="rec-goto"
            onSubmit={(e) => {
              e.preventDefault();
              const ms = parseLocalDateTime(goto, dayStart);
              if (ms !== undefined) rec.playAt(ms);
            }}
          >
            <label>
              Go to
              <input
                type="time"
                step={1}
                value={goto}
                onInput={(e) => setGoto((e.target as HTMLInputElement).value)}
              />
            </label>
            <button type="submit">Go</button>
          </form>
        </div>
        <RecVideo rec={rec} label={`Recording of ${camera.name}`} muted={!sound} />
        <SessionButtons rec={rec} step={step} toggle={toggle} spaceKey>
          {events.length > 0 && (
            <>
              <button type="button" onClick={() => toEvent(-1)} aria-keyshortcuts="[">
                ‹ Event
              </button>
              <button type="button" onClick={() => toEvent(1)} aria-keyshortcuts="]">
                Event ›
              </button>
            </>
          )}
          {camera.audio && (
            <button
              type="button"
              aria-pressed={sound}
              onClick={() => setSound(!sound)}
            >
              {sound ? "Sound on" : "Sound off"}
            </button>
          )}
          <Speeds speed={speed} onPick={setSpeed} />
        </SessionButtons>
        <p class="notice" role="status">{notice}</p>
        <Timeline
          dayStart={dayStart}
          dayEnd={dayEnd}
          spans={spans}
          gaps={gaps}
          position={rec.frame}
          onSeek={rec.playAt}
          thumbs={thumbs}
          activity={activity}
          events={events.map((e) => ({ start: e.start, end: e.end ?? Date.now() }))}
        />
        <ThumbStrip thumbs={thumbs} position={rec.frame} onSeek={rec.playAt} />
        <EventList events={events} position={rec.frame} onSeek={rec.playAt} />
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
        <Calendar
          key={cam}
          date={date}
          days={days ?? []}
          eventDays={eventDays}
          onPick={pickDate}
        />
        <ClipExport camera={camera} at={rec.frame} day={dayStart} />
        <a class="button" href={reviewUrl(groupOf(camera, props.cameras), rec.frame ?? dayStart)}>
          Review with other cameras
        </a>
      </aside>
    </div>
  );
}

/** The camera and the others of its group (at most nine), for the synchronized review. */
function groupOf(camera: CameraJson, all: CameraJson[]): string[] {
  const others = all.filter((c) => c.gid === camera.gid && c !== camera);
  return [camera, ...others].slice(0, 9).map(camKey);
}
