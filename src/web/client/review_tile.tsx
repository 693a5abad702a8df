/** One tile of the synchronized review: the video, the camera's name and its state. */
import { useEffect, useRef, useState } from "preact/hooks";
import { SyncTile, type TileState } from "./sync_tile.ts";
import type { Span } from "./timeline_math.ts";
import type { CameraJson } from "./types.ts";

interface Props {
  cam: CameraJson;
  spans: Span[] | undefined;
  /** Registers the tile with the review's clock (undefined when it goes away). */
  register: (key: string, tile: SyncTile | undefined) => void;
}

const WORDS: Partial<Record<TileState, string>> = {
  gap: "No recording",
  loading: "Loading…",
  error: "Playback failed",
};

export function ReviewTile({ cam, spans, register }: Props) {
  const video = useRef<HTMLVideoElement>(null);
  const tile = useRef<SyncTile | undefined>(undefined);
  const [state, setState] = useState<TileState>("loading");
  const key = `${cam.gid}-${cam.seq}`;

  useEffect(() => {
    const t = new SyncTile(video.current!, cam.gid, cam.seq, (s) => setState(s));
    tile.current = t;
    register(key, t);
    return () => {
      register(key, undefined);
      t.destroy();
    };
  }, [key]);
  useEffect(() => tile.current?.setSpans(spans ?? []), [spans]);

  const word = spans?.length === 0 ? "No recording this day" : WORDS[state];
  return (
    <article class="tile review-tile" data-cam={key} data-state={state}>
      <video ref={video} muted playsInline disablePictureInPicture aria-hidden="true" />
      <header class="tile-top">
        <span class="tile-name">{cam.name}</span>
        <span class="tile-group">G{cam.gid} · #{cam.seq}</span>
      </header>
      {word && <span class="tile-reason" role="status">{word}</span>}
    </article>
  );
}
