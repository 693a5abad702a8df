/**
 * The low-latency live player: fragmented MP4 from `GET /{gid}/{seq}/live.ws` (one frame a
 * message; see src/api/live_routes.ts) appended to a SourceBuffer of a `ManagedMediaSource`
 * (iOS Safari 17.1+) or a `MediaSource`. It keeps what is buffered ahead of the playhead
 * under a second: a little behind, it plays faster (1.1x); far behind (a stalled tab, a slow
 * network), it jumps to the live edge. What lies more than a few seconds behind the playhead
 * is removed, so hours of playing hold the same memory.
 *
 * It fails (`onFatal`; the tile falls back to HLS, or reconnects if frames had played) when
 * the browser has no MSE, when the socket closes or errors, or when appending fails;
 * `onUnsupported` when the browser cannot decode the camera's codec (H.265 in most desktop
 * browsers).
 */
import type { Player } from "./player.ts";
import { play } from "./player.ts";
import { catchUpRate, LIVE_TUNING } from "./live_math.ts";

export interface LivePlayerOptions {
  /**
   * `played`: the stream had shown frames before it failed (a lost connection, not a broken
   * path); `opened`: the socket had opened (false: no live stream here, e.g. `--live-view=off`).
   */
  onFatal: (reason: string, played: boolean, opened: boolean) => void;
  onUnsupported: (codec: string) => void;
  onReady?: () => void;
  /** Which of the camera's streams the server sends (`main`, `sub`, `h264`). */
  onStream?: (stream: string) => void;
}

type MediaSourceCtor = typeof MediaSource;
const w = globalThis as unknown as { ManagedMediaSource?: MediaSourceCtor };

/** The MediaSource class to use, if any (ManagedMediaSource first: iOS has only that). */
export function mediaSourceClass(): MediaSourceCtor | undefined {
  return w.ManagedMediaSource ?? (globalThis.MediaSource as MediaSourceCtor | undefined);
}

export function attachLive(video: HTMLVideoElement, url: string, o: LivePlayerOptions): Player {
  const MS = mediaSourceClass();
  let ws: WebSocket | undefined;
  let ms: MediaSource | undefined;
  let sb: SourceBuffer | undefined;
  let objectUrl: string | undefined;
  let queue: ArrayBuffer[] = [];
  let expectInit = false;
  let key: { wall: number; dts: number } | undefined;
  let ready = false;
  let opened = false;
  let done = false;
  let timer: ReturnType<typeof setInterval> | undefined;

  const fail = (reason: string) => {
    if (done) return;
    const played = ready;
    stop();
    o.onFatal(reason, played, opened);
  };

  const pump = () => {
    if (!sb || sb.updating || queue.length === 0 || ms?.readyState !== "open") return;
    try {
      sb.appendBuffer(queue.shift()!);
    } catch (err) {
      if ((err as DOMException).name === "QuotaExceededError") trim(0);
      else fail(`append failed (${(err as Error).name})`);
    }
  };

  /** Removes what lies more than `keepBehind` s behind the playhead. */
  const trim = (keep = LIVE_TUNING.keepBehind) => {
    if (!sb || sb.updating || sb.buffered.length === 0) return;
    const upTo = video.currentTime - keep;
    if (upTo > sb.buffered.start(0) + 1) sb.remove(0, upTo);
  };

  /** Keeps the playhead near the live edge. */
  const steer = () => {
    if (!sb || sb.buffered.length === 0) return;
    const end = sb.buffered.end(sb.buffered.length - 1);
    const start = sb.buffered.start(sb.buffered.length - 1);
    const ahead = end - video.currentTime;
    if (ahead > LIVE_TUNING.jump || video.currentTime < start) {
      video.currentTime = Math.max(start, end - LIVE_TUNING.target / 2);
    }
    video.playbackRate = catchUpRate(ahead);
    if (video.paused) play(video);
    if (!ready && video.readyState >= 2) {
      ready = true;
      o.onReady?.();
    }
    trim();
  };

  const newSource = (mime: string) => {
    if (!MS) return fail("no Media Source Extensions");
    teardownSource();
    ms = new MS();
    // ManagedMediaSource plays only with remote playback (AirPlay) off.
    (video as HTMLVideoElement & { disableRemotePlayback: boolean }).disableRemotePlayback = true;
    objectUrl = URL.createObjectURL(ms);
    video.src = objectUrl;
    ms.addEventListener("sourceopen", () => {
      if (!ms || done) return;
      try {
        sb = ms.addSourceBuffer(mime);
      } catch (err) {
        return fail(`cannot play ${mime} (${(err as Error).name})`);
      }
      sb.mode = "segments";
      sb.addEventListener("updateend", () => {
        steer();
        pump();
      });
      sb.addEventListener("error", () => fail("decoding failed"));
      pump();
    }, { once: true });
  };

  const onText = (text: string) => {
    let m: {
      type?: string;
      codec?: string;
      mime?: string;
      stream?: string;
      wall?: number;
      dts?: number;
    };
    try {
      m = JSON.parse(text);
    } catch {
      return;
    }
    if (m.type === "init" && m.mime && m.codec !== undefined) {
      if (typeof m.stream === "string") o.onStream?.(m.stream);
      if (!MS?.isTypeSupported(m.mime)) {
        done = true;
        stop();
        return o.onUnsupported(m.codec);
      }
      queue = [];
      key = undefined;
      expectInit = true;
      newSource(m.mime);
    } else if (m.type === "key" && typeof m.wall === "number" && typeof m.dts === "number") {
      key = { wall: m.wall, dts: m.dts };
    }
  };

  const start = () => {
    if (!MS) return fail("no Media Source Extensions");
    if (!("WebSocket" in globalThis)) return fail("no WebSocket");
    done = false;
    ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => (opened = true);
    ws.onmessage = (e) => {
      if (typeof e.data === "string") return onText(e.data);
      if (!expectInit && !sb && !ms) return; // before any init: nothing to append to
      expectInit = false;
      queue.push(e.data as ArrayBuffer);
      // A tab that cannot keep up (hidden, slow device): start again from a keyframe.
      if (queue.length > 300) queue = [];
      pump();
    };
    ws.onclose = (e) =>
      fail(e.code === 1001 ? "camera stopped" : e.reason || `socket closed (${e.code})`);
    ws.onerror = () => fail("socket error");
    timer = setInterval(steer, 250);
  };

  const teardownSource = () => {
    sb = undefined;
    if (ms?.readyState === "open") {
      try {
        ms.endOfStream();
      } catch { /* closing anyway */ }
    }
    ms = undefined;
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = undefined;
  };

  const stop = () => {
    done = true;
    clearInterval(timer);
    if (ws) {
      ws.onopen =
        ws.onclose =
        ws.onerror =
        ws.onmessage =
          null;
      ws.close();
    }
    ws = undefined;
    teardownSource();
    queue = [];
    ready = false;
  };

  start();
  return {
    frameTime: () => key && ready ? key.wall + (video.currentTime - key.dts) * 1000 : undefined,
    positionOf: () => undefined,
    pause() {
      stop();
      video.pause();
    },
    resume() {
      stop();
      start();
    },
    destroy() {
      stop();
      video.removeAttribute("src");
      video.load();
    },
  };
}
