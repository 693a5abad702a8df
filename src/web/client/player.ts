/**
 * Attaches an HLS URL to a <video>: hls.js over MSE where supported, else the
 * browser's own HLS (iOS Safari). Reports the wall-clock time of the frame shown,
 * from #EXT-X-PROGRAM-DATE-TIME, and fatal errors.
 */
import type HlsFull from "hls.js";
// The light build (no subtitles, alternate audio or DRM) is a third smaller; same API. Its
// UMD file, not the ES module: only the UMD build carries its own Web Worker (started from a
// blob:), where the ES module would need a separate worker script (`workerPath`).
// deno-lint-ignore no-import-prefix -- "hls.js/light" is not in the import map
import HlsLight from "npm:hls.js@1.7.4/dist/hls.light.js";

import type { Frag } from "./sync_math.ts";

const Hls = HlsLight as unknown as typeof HlsFull;

export interface PlayerOptions {
  live: boolean;
  /** Instant (epoch ms) to start at, found through the playlist's PROGRAM-DATE-TIME. */
  startAt?: number;
  onFatal?: (reason: string) => void;
  onReady?: () => void;
}

export interface Player {
  /** Epoch ms of the frame on screen, or undefined before the first frame. */
  frameTime(): number | undefined;
  /** Seconds in the media timeline for an instant (epoch ms), if loaded. */
  positionOf(ms: number): number | undefined;
  /** The loaded playlist's segments with their PROGRAM-DATE-TIME (hls.js only). */
  fragments?(): Frag[] | undefined;
  /** Stops network activity (off-screen tile) and resumes at the live edge. */
  pause(): void;
  resume(): void;
  destroy(): void;
}

/**
 * Live tuning, measured on the recorder's 2 s segments: play one and a half
 * segments behind the newest, catch up by playing faster (up to 1.25x) instead
 * of stalling, and keep little buffer so 16 tiles stay light. Demuxing runs in hls.js's
 * Web Worker (a blob: worker; no Content-Security-Policy forbids it), off the main thread
 * that 16 tiles would otherwise keep busy.
 */
export const LIVE_CONFIG = {
  lowLatencyMode: true,
  liveSyncDurationCount: 1.5,
  liveMaxLatencyDurationCount: 5,
  maxLiveSyncPlaybackRate: 1.25,
  maxBufferLength: 6,
  backBufferLength: 4,
  enableWorker: true,
  manifestLoadingMaxRetry: 2,
  levelLoadingMaxRetry: 2,
  fragLoadingMaxRetry: 2,
};

const VOD_CONFIG = { maxBufferLength: 30, backBufferLength: 30, enableWorker: true };

/**
 * Starts playback. The browser may refuse it (autoplay without a gesture) or a newer load
 * or pause may interrupt it: expected, ignored. Anything else goes to the console.
 */
export function play(video: HTMLVideoElement): void {
  video.play().catch((err: unknown) => {
    const name = (err as { name?: string } | undefined)?.name;
    if (name !== "NotAllowedError" && name !== "AbortError") console.warn("video.play:", err);
  });
}

export function attach(video: HTMLVideoElement, url: string, o: PlayerOptions): Player {
  if (Hls.isSupported()) return attachHlsJs(video, url, o);
  return attachNative(video, url, o);
}

function attachHlsJs(video: HTMLVideoElement, url: string, o: PlayerOptions): Player {
  const hls = new Hls({
    ...(o.live ? LIVE_CONFIG : VOD_CONFIG),
    autoStartLoad: o.startAt === undefined,
  });
  hls.on(Hls.Events.ERROR, (_e, data) => {
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
      hls.recoverMediaError();
      return;
    }
    o.onFatal?.(data.details);
  });
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    play(video);
    o.onReady?.();
  });
  if (o.startAt !== undefined) {
    hls.once(Hls.Events.LEVEL_LOADED, () => hls.startLoad(player.positionOf(o.startAt!) ?? 0));
  }
  (video as HTMLVideoElement & { hls?: unknown }).hls = hls; // for debugging and tests
  hls.loadSource(url);
  hls.attachMedia(video);
  const player: Player = {
    frameTime: () => hls.playingDate?.getTime(),
    positionOf(ms) {
      const frags = hls.levels[hls.currentLevel >= 0 ? hls.currentLevel : 0]?.details?.fragments;
      if (!frags) return undefined;
      for (const f of frags) {
        if (f.programDateTime === null) continue;
        if (ms < f.programDateTime + f.duration * 1000) {
          return f.start + Math.max(0, ms - f.programDateTime) / 1000;
        }
      }
      return undefined;
    },
    fragments() {
      const frags = hls.levels[hls.currentLevel >= 0 ? hls.currentLevel : 0]?.details?.fragments;
      return frags?.flatMap((f) =>
        f.programDateTime === null
          ? []
          : [{ start: f.start, duration: f.duration, pdt: f.programDateTime }]
      );
    },
    pause() {
      hls.stopLoad();
      video.pause();
    },
    resume() {
      hls.startLoad(-1);
      if (o.live && hls.liveSyncPosition) video.currentTime = hls.liveSyncPosition;
      play(video);
    },
    destroy: () => hls.destroy(),
  };
  return player;
}

function attachNative(video: HTMLVideoElement, url: string, o: PlayerOptions): Player {
  const start = () => (video as HTMLVideoElement & { getStartDate?: () => Date }).getStartDate?.();
  const onError = () => o.onFatal?.("media error");
  const onMeta = () => {
    const at = o.startAt === undefined ? undefined : player.positionOf(o.startAt);
    if (at) video.currentTime = at;
    play(video);
    o.onReady?.();
  };
  video.addEventListener("error", onError);
  video.addEventListener("loadedmetadata", onMeta);
  video.src = url;
  const base = () => {
    const t = start()?.getTime();
    return t === undefined || Number.isNaN(t) ? undefined : t;
  };
  const player: Player = {
    frameTime: () => {
      const b = base();
      return b === undefined || video.readyState < 2 ? undefined : b + video.currentTime * 1000;
    },
    positionOf: (ms) => {
      const b = base();
      return b === undefined ? undefined : (ms - b) / 1000;
    },
    pause: () => video.pause(),
    resume: () => play(video),
    destroy() {
      video.removeEventListener("error", onError);
      video.removeEventListener("loadedmetadata", onMeta);
      video.removeAttribute("src");
      video.load();
    },
  };
  return player;
}
