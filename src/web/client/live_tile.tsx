/**
 * One camera of the live wall: video, name, group, state, frame time and latency.
 *
 * Transport: the low-latency stream (fMP4 over a WebSocket into MSE, live_player.ts) first;
 * HLS (hls.js, or the browser's own) when that fails. A browser without MSE (Safari on iOS
 * before 17.1) plays the same low-latency stream as Low-Latency HLS with its own player, and
 * the recorded live HLS if that fails. A tile on the wall asks for the
 * camera's sub-stream (the server sends the main stream when there is none); opened large
 * or full screen it switches to the main stream. A browser that cannot decode the camera's
 * codec (H.265) gets the server's H.264 transcode, and HLS only if that fails too. The tile says which one plays (`data-transport`, and a small label), and
 * why it fell back. While the camera is down and the server retries, it says so with the
 * last frame's time, not the recorder's raw error (that is in the tooltip).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { clock, STATE_LABEL } from "./format.ts";
import { attachLive, mediaSourceClass } from "./live_player.ts";
import { downReason, liveSocketUrl, llHlsUrl } from "./live_math.ts";
import { attach, type Player } from "./player.ts";
import type { CameraJson } from "./types.ts";
import { camKey } from "./types.ts";

const RETRY_MS = 3000;
const UP = new Set(["streaming", "recording"]);

type Transport = "live" | "ll-hls" | "hls";
const TRANSPORT_LABEL: Record<Transport, string> = {
  live: "low latency",
  "ll-hls": "low-latency HLS",
  hls: "HLS",
};
/**
 * A picture that stands still this long is reconnected: 4 s on the low-latency stream (a new
 * socket starts from the hub's latest keyframe at once), 10 s on HLS (segments take longer).
 */
const STALL_MS: Record<Transport, number> = { live: 4_000, "ll-hls": 10_000, hls: 10_000 };

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
  const [note, setNote] = useState<string | undefined>();
  // The same first render on the server (no MSE there) and in the browser (hydration).
  const [transport, setTransport] = useState<Transport>("live");
  const [playing, setPlaying] = useState(false);
  const [muted, setMuted] = useState(true);
  const [full, setFull] = useState(false);
  /** The browser cannot decode the camera's codec: ask for the H.264 transcode. */
  const [transcode, setTranscode] = useState(false);
  /** The stream the server says it sends. */
  const [sent, setSent] = useState<string | undefined>();
  /** Small on the wall: the sub-stream; large or full screen: the main stream. */
  const small = !large && !full;
  const [asked, setAsked] = useState<"main" | "sub">(small ? "sub" : "main");
  /** Asked for the sub-stream, the server sent the main one: the camera has none. */
  const [noSub, setNoSub] = useState(false);
  const wanted = transcode ? "h264" : asked;

  useEffect(() => {
    // A camera without a sub-stream keeps its socket (the same stream either way).
    if (!noSub) setAsked(small ? "sub" : "main");
  }, [small, noSub]);

  useEffect(() => {
    const onChange = () => setFull(document.fullscreenElement === tile.current);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, []);
  const [attempt, setAttempt] = useState(0);
  const up = UP.has(cam.state);

  useEffect(() => {
    const v = video.current, el = tile.current;
    if (!v || !el || !up) return;
    if (transport === "live" && !mediaSourceClass()) return setTransport("ll-hls");
    let player: Player | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let lastMove = Date.now(), lastPos = -1, visible = true, played = false;
    const restart = (why: string, retryMs = RETRY_MS) => {
      setProblem(why);
      setPlaying(false);
      player?.destroy();
      player = undefined;
      clearTimeout(retry);
      retry = setTimeout(() => setAttempt((n) => n + 1), retryMs);
    };
    const ready = () => {
      played = true;
      setProblem(undefined);
      setPlaying(true);
    };
    const fallBack = (why: string | undefined) => {
      player?.destroy();
      player = undefined;
      setNote(why);
      setTransport("hls"); // the effect runs again with HLS
    };
    player = transport === "live"
      ? attachLive(v, liveSocketUrl(cam.stream_url, location.href, wanted), {
        // A stream that played and was lost (server restart, network) is tried again, and so
        // is one closed by its camera restarting ("camera stopped"); one that never played
        // falls back to HLS for this tile. A socket that never opened: no live stream on this
        // server (`--live-view=off`), HLS without a note.
        onFatal: (d, played, opened) =>
          played || d === "camera stopped"
            ? restart(`live stream lost (${d}): reconnecting`)
            : fallBack(opened ? `low-latency stream failed (${d}): HLS` : undefined),
        onUnsupported: (codec) => {
          const why = `this browser can't play ${codecName(codec)}`;
          if (wanted === "h264") return fallBack(`${why}: HLS`);
          player?.destroy();
          player = undefined;
          setNote(`${why}: H.264 transcode`);
          setTranscode(true); // the effect runs again with the transcode
        },
        onReady: ready,
        onStream: (stream) => {
          setSent(stream);
          if (wanted === "sub" && stream === "main") setNoSub(true);
        },
      })
      : attach(
        v,
        transport === "ll-hls" ? llHlsUrl(cam.stream_url, location.href) : cam.stream_url,
        {
          live: true,
          onFatal: (d) =>
            transport === "ll-hls" && !played
              ? fallBack(`low-latency HLS failed (${d}): HLS`)
              : restart(`stream unavailable (${d})`),
          onReady: ready,
        },
      );
    const tick = setInterval(() => {
      if (!player || !visible) return;
      setFrame(player.frameTime());
      if (v.currentTime !== lastPos) [lastPos, lastMove] = [v.currentTime, Date.now()];
      // Before its first frame a stream may wait for a camera's keyframe (GOPs up to 4 s).
      else if (Date.now() - lastMove > (played ? STALL_MS[transport] : STALL_MS.hls)) {
        restart("stalled: reconnecting", 500);
      }
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
  }, [cam.stream_url, up, attempt, transport, wanted]);

  const latency = frame === undefined || !playing || !up
    ? undefined
    : Math.max(0, (Date.now() - frame) / 1000);
  const reason = !up ? downReason(cam) : problem;
  const at = frame ?? Date.now();
  const fullscreen = () => {
    const v = video.current as (HTMLVideoElement & { webkitEnterFullscreen?: () => void }) | null;
    if (tile.current?.requestFullscreen) tile.current.requestFullscreen().catch(() => {});
    else v?.webkitEnterFullscreen?.(); // iPhone: only the video can go full screen
  };
  const toggleMute = () => {
    if (!video.current) return;
    video.current.muted = !video.current.muted;
    setMuted(video.current.muted);
  };
  return (
    <article
      ref={tile}
      class={`tile${large ? " large" : ""}`}
      data-cam={`${cam.gid}-${cam.seq}`}
      data-state={cam.state}
      data-transport={up ? transport : ""}
      data-stream={up && transport === "live" ? sent ?? "" : ""}
    >
      <button
        type="button"
        class="tile-view"
        onClick={onOpen}
        aria-label={`${reason ? `${reason}. ` : ""}${
          large ? `Back to all cameras from ${cam.name}` : `Open ${cam.name} large`
        }`}
      >
        <video ref={video} muted playsInline autoPlay disablePictureInPicture />
        {reason && (
          <span class="tile-reason" role="status" title={cam.last_error ?? undefined}>
            {reason}
          </span>
        )}
      </button>
      <header class="tile-top">
        <span class="tile-name">{cam.name}</span>
        <span class="tile-group">G{cam.gid} · #{cam.seq}</span>
        <span class={`badge state-${cam.state}`}>{STATE_LABEL[cam.state] ?? cam.state}</span>
      </header>
      <footer class="tile-bottom">
        <time class="frame-time" data-ms={frame ?? ""}>
          {frame === undefined || !up ? "--:--:--" : clock(frame)}
        </time>
        {up && (
          <span class="tile-transport" title={note}>
            {TRANSPORT_LABEL[transport]}
            {transport === "live" && (STREAM_LABEL[sent ?? ""] ?? "")}
            {note && <span class="tile-note">{note}</span>}
          </span>
        )}
        <span class="latency" data-s={latency?.toFixed(2) ?? ""}>
          {latency === undefined ? "" : `${latency.toFixed(1)} s behind`}
        </span>
        <span class="tile-actions">
          {up && transport === "hls" && cam.audio && (
            <button type="button" class="tile-btn" onClick={toggleMute}>
              {muted ? "Unmute" : "Mute"}
            </button>
          )}
          <a
            class="tile-btn"
            href={`/recordings?cam=${camKey(cam)}&t=${new Date(at).toISOString()}`}
            title="Recordings at this time"
          >
            Recordings
          </a>
          <button type="button" class="tile-btn" onClick={fullscreen} aria-label="Full screen">
            ⛶
          </button>
        </span>
      </footer>
    </article>
  );
}

/** What the transport label adds for a stream other than the main one. */
const STREAM_LABEL: Record<string, string> = { sub: " · sub-stream", h264: " · H.264" };

const codecName = (codec: string) =>
  /^(hvc1|hev1)/.test(codec) ? "H.265" : /^(avc1|avc3)/.test(codec) ? "H.264" : codec;
