/** One camera of the live wall: video, name, group, state, frame time and latency. */
import { useEffect, useRef, useState } from "preact/hooks";
import { clock, STATE_LABEL } from "./format.ts";
import { attach, type Player } from "./player.ts";
import type { CameraJson } from "./types.ts";

const RETRY_MS = 3000;
const STALL_MS = 10_000;
const UP = new Set(["streaming", "recording"]);

interface Props {
  cam: CameraJson;
  large: boolean;
  onOpen: () => void;
}

export function LiveTile({ cam, large, onOpen }: Props) {
  const video = useRef<HTMLVideoElement>(null);
  const tile = useRef<HTMLElement>(null);
  const [frame, setFrame] = useState<number | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const up = UP.has(cam.state);

  useEffect(() => {
    const v = video.current, el = tile.current;
    if (!v || !el || !up) return;
    let player: Player | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let lastMove = Date.now(), lastPos = -1, visible = true;
    const restart = (why: string) => {
      setProblem(why);
      player?.destroy();
      player = undefined;
      clearTimeout(retry);
      retry = setTimeout(() => setAttempt((n) => n + 1), RETRY_MS);
    };
    player = attach(v, cam.stream_url, {
      live: true,
      onFatal: (d) => restart(`stream unavailable (${d})`),
      onReady: () => setProblem(undefined),
    });
    const tick = setInterval(() => {
      if (!player || !visible) return;
      setFrame(player.frameTime());
      if (v.currentTime !== lastPos) [lastPos, lastMove] = [v.currentTime, Date.now()];
      else if (Date.now() - lastMove > STALL_MS) restart("stalled: reconnecting");
    }, 500);
    // Off-screen tiles stop loading: a 16-camera wall on a phone only fetches what is seen.
    const io = new IntersectionObserver(([e]) => {
      visible = e.isIntersecting && !document.hidden;
      if (visible) [lastMove] = [Date.now(), player?.resume()];
      else player?.pause();
    });
    io.observe(el);
    return () => {
      io.disconnect();
      clearInterval(tick);
      clearTimeout(retry);
      player?.destroy();
    };
  }, [cam.stream_url, up, attempt]);

  const latency = frame === undefined ? undefined : Math.max(0, (Date.now() - frame) / 1000);
  const reason = !up ? (cam.last_error ?? STATE_LABEL[cam.state]) : problem;
  return (
    <article
      ref={tile}
      class={`tile${large ? " large" : ""}`}
      data-cam={`${cam.gid}-${cam.seq}`}
      data-state={cam.state}
    >
      <button
        type="button"
        class="tile-view"
        onClick={onOpen}
        aria-label={large ? `Back to all cameras from ${cam.name}` : `Open ${cam.name} large`}
      >
        <video ref={video} muted playsInline autoPlay disablePictureInPicture />
        {reason && <span class="tile-reason" role="status">{reason}</span>}
      </button>
      <header class="tile-top">
        <span class="tile-name">{cam.name}</span>
        <span class="tile-group">G{cam.gid} · #{cam.seq}</span>
        <span class={`badge state-${cam.state}`}>{STATE_LABEL[cam.state] ?? cam.state}</span>
      </header>
      <footer class="tile-bottom">
        <time class="frame-time" data-ms={frame ?? ""}>
          {frame === undefined ? "--:--:--" : clock(frame)}
        </time>
        <span class="latency" data-s={latency?.toFixed(2) ?? ""}>
          {latency === undefined ? "" : `${latency.toFixed(1)} s behind`}
        </span>
      </footer>
    </article>
  );
}
