/**
 * The recordings tab (`Recordings`): this recorder's recordings (recordings.tsx) or, for fleet
 * review, the recorder picker and another recorder's cameras played from the archive
 * (read-only): its archived days on the calendar, the day's sessions on the timeline (all
 * archive-only), the day's playlist in the player. The node, camera and day stay in the URL.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { Calendar } from "./calendar.tsx";
import { duration } from "./format.ts";
import { Speeds } from "./speeds.tsx";
import { Timeline } from "./timeline.tsx";
import { dayBounds, gapsOf, spansOf } from "./timeline_math.ts";
import { camKey } from "./types.ts";
import {
  type FleetJson,
  otherNodes,
  useArchiveDay,
  useArchiveDays,
  useFleet,
} from "./use_fleet.ts";
import { useRecPlayer } from "./use_rec_player.ts";
import { CameraField, DayField, RecVideo, SessionButtons, sessionControls } from "./rec_view.tsx";
import { LocalRecordings, type RecordingsProps } from "./recordings.tsx";

/** Picks the recorder whose recordings are shown ("" is this one). */
export function NodePicker(
  { fleet, node, onPick }: { fleet?: FleetJson; node: string; onPick: (node: string) => void },
) {
  const others = otherNodes(fleet);
  if (!fleet || others.length === 0) return null;
  return (
    <label>
      Recorder
      <select value={node} onChange={(e) => onPick((e.target as HTMLSelectElement).value)}>
        <option value="">{fleet.node} (this recorder)</option>
        {others.map((n) => <option key={n.node} value={n.node}>{n.node} (archive)</option>)}
      </select>
    </label>
  );
}

export function FleetRecordings(
  props: {
    fleet: FleetJson;
    node: string;
    onNode: (node: string) => void;
    date: string;
    cam?: string;
  },
) {
  const cameras = otherNodes(props.fleet).find((n) => n.node === props.node)?.cameras ?? [];
  const keys = cameras.map(camKey);
  const [cam, setCam] = useState(
    props.cam && keys.includes(props.cam) ? props.cam : keys[0],
  );
  const [date, setDate] = useState(props.date);
  const [speed, setSpeed] = useState(1);
  useEffect(() => setCam((c) => c && keys.includes(c) ? c : keys[0]), [props.node]);
  // The node, camera and day stay in the URL (a reload or a shared link opens them).
  useEffect(() => {
    const q = `node=${encodeURIComponent(props.node)}&cam=${cam ?? ""}&date=${date}`;
    history.replaceState(null, "", `/recordings?${q}`);
  }, [props.node, cam, date]);
  const [gid, seq] = (cam ?? "0-0").split("-").map(Number);
  const days = useArchiveDays(props.node, gid, seq);
  const { sessions, dayUrl } = useArchiveDay(props.node, gid, seq, date);
  const { start: dayStart, end: dayEnd } = dayBounds(date);
  const spans = useMemo(() => spansOf(sessions ?? []), [sessions]);
  const gaps = useMemo(() => gapsOf(sessions ?? []), [sessions]);
  const rec = useRecPlayer(gid, seq, spans, dayEnd, speed, dayUrl);
  const pending = useRef(false);
  // A newly picked day: the latest archived one when the asked day has nothing.
  useEffect(() => {
    if (days?.length && !days.includes(date) && !pending.current) setDate(days[days.length - 1]);
    pending.current = true;
  }, [days]);

  const { toggle, step } = sessionControls(rec, spans, sessions, dayStart);
  const total = spans.reduce((n, s) => n + s.end - s.start, 0);
  return (
    <div class="rec-layout" data-node={props.node}>
      <div class="rec-main">
        <div class="toolbar">
          <NodePicker fleet={props.fleet} node={props.node} onPick={props.onNode} />
          <CameraField
            cam={cam}
            options={cameras.map((c) => [camKey(c), `G${c.gid} #${c.seq}`])}
            onPick={setCam}
          />
          <DayField date={date} onPick={setDate} />
        </div>
        <RecVideo
          rec={rec}
          label={`Archived recording of ${props.node} G${gid} #${seq}`}
          muted
        />
        <SessionButtons rec={rec} step={step} toggle={toggle}>
          <Speeds speed={speed} onPick={setSpeed} />
        </SessionButtons>
        <Timeline
          dayStart={dayStart}
          dayEnd={dayEnd}
          spans={spans}
          gaps={gaps}
          position={rec.frame}
          onSeek={rec.playAt}
        />
        <p class="muted day-summary" aria-live="polite">
          {cameras.length === 0
            ? "This recorder has archived no camera."
            : sessions === undefined
            ? "Loading…"
            : sessions.length === 0
            ? "Nothing archived on this day."
            : `${props.node}, read-only from the archive · ${sessions.length} session${
              sessions.length > 1 ? "s" : ""
            } · ${duration(total)} archived`}
        </p>
      </div>
      <aside class="rec-side">
        <Calendar key={`${props.node}/${cam}`} date={date} days={days ?? []} onPick={setDate} />
      </aside>
    </div>
  );
}

/** This recorder's recordings, or (fleet review) another recorder's archive. */
export function Recordings(props: RecordingsProps) {
  const fleet = useFleet(!!props.archive);
  const [node, setNode] = useState(props.node ?? "");
  const others = otherNodes(fleet);
  const remote = node || (props.cameras.length === 0 ? others[0]?.node ?? "" : "");
  if (fleet && remote) {
    return (
      <FleetRecordings
        fleet={fleet}
        node={remote}
        onNode={setNode}
        date={props.date}
        cam={props.cam}
      />
    );
  }
  return (
    <LocalRecordings {...props} picker={<NodePicker fleet={fleet} node="" onPick={setNode} />} />
  );
}
