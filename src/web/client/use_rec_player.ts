/**
 * Plays recordings from any instant: loads a window of at most three hours from
 * that instant (a short playlist, so starting is quick on a day of 40,000
 * segments), seeks inside it while it can, and moves on to the next window at its end.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { attach, play, type Player } from "./player.ts";
import { snapToRecorded, type Span } from "./timeline_math.ts";

const WINDOW_MS = 3 * 3_600_000;

export interface RecPlayer {
  video: { current: HTMLVideoElement | null };
  /** Epoch ms of the frame shown. */
  frame?: number;
  error?: string;
  /** The video is paused (or not started): the Play/Pause button says Play. */
  paused: boolean;
  /** The last gap playback skipped over (ms of no recording), with when it was noticed. */
  skipped?: { ms: number; at: number };
  playAt(ms: number): void;
}

/** A jump of the frame time this much beyond the time played is a skipped gap. */
const SKIP_MS = 1500;
/** How long the "skipped" notice stays. */
const NOTICE_MS = 6000;

export function useRecPlayer(
  gid: number,
  seq: number,
  spans: Span[],
  dayEnd: number,
  speed: number,
  /** A whole day's playlist to play instead (another recorder's archived day). */
  dayUrl?: string,
): RecPlayer {
  const video = useRef<HTMLVideoElement>(null);
  const cur = useRef<{ player: Player; from: number; to: number } | undefined>(undefined);
  const [frame, setFrame] = useState<number | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [paused, setPaused] = useState(true);
  const [skipped, setSkipped] = useState<{ ms: number; at: number } | undefined>();
  /** The last frame time seen and when; reset by a seek (a jump asked for, not a gap). */
  const last = useRef<{ frame: number; at: number } | undefined>(undefined);
  const spansRef = useRef(spans);
  spansRef.current = spans;

  const load = (ms: number) => {
    const v = video.current;
    if (!v) return;
    cur.current?.player.destroy();
    const to = dayUrl ? dayEnd : Math.min(dayEnd, ms + WINDOW_MS);
    const url = dayUrl ??
      `/api/export/gid/${gid}/seq/${seq}/span.m3u8?from=${Math.floor(ms)}&to=${Math.ceil(to)}`;
    setError(undefined);
    const player = attach(v, url, { live: false, startAt: ms, onFatal: (d) => setError(d) });
    cur.current = { player, from: ms, to };
    v.playbackRate = speed;
  };

  const playAt = (want: number) => {
    const ms = snapToRecorded(want, spansRef.current);
    if (ms === undefined) return;
    const c = cur.current, v = video.current;
    const pos = c && ms >= c.from && ms < c.to ? c.player.positionOf(ms) : undefined;
    if (pos !== undefined && v) {
      v.currentTime = pos;
      play(v);
    } else load(ms);
    setFrame(ms);
    last.current = undefined;
    setSkipped(undefined);
  };

  // The notice of a skipped gap stays a few seconds.
  useEffect(() => {
    if (!skipped) return;
    const id = setTimeout(() => setSkipped(undefined), NOTICE_MS);
    return () => clearTimeout(id);
  }, [skipped]);

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    const tick = setInterval(() => {
      const t = cur.current?.player.frameTime();
      if (t === undefined || v.seeking) return;
      const l = last.current, now = performance.now();
      if (l && !v.paused) {
        const jump = t - l.frame - (now - l.at) * v.playbackRate;
        if (jump > SKIP_MS) setSkipped({ ms: jump, at: Date.now() });
      }
      last.current = v.paused ? undefined : { frame: t, at: now };
      setFrame(t);
    }, 250);
    const onPlay = () => setPaused(false);
    const onPause = () => setPaused(true);
    v.addEventListener("play", onPlay);
    v.addEventListener("pause", onPause);
    const onEnded = () => {
      // End of the window: continue with the next recording, if the day has more.
      const c = cur.current;
      const next = c && spansRef.current.find((s) => s.end > c.to);
      if (c && next) load(Math.max(c.to, next.start));
    };
    v.addEventListener("ended", onEnded);
    return () => {
      clearInterval(tick);
      v.removeEventListener("ended", onEnded);
      v.removeEventListener("play", onPlay);
      v.removeEventListener("pause", onPause);
      cur.current?.player.destroy();
      cur.current = undefined;
      setFrame(undefined);
      setSkipped(undefined);
    };
  }, [gid, seq, dayEnd, dayUrl]);

  useEffect(() => {
    if (video.current) video.current.playbackRate = speed;
  }, [speed]);

  return { video, frame, error, paused, skipped, playAt };
}
