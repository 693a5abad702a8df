/** The live tab: every camera in a responsive grid; one tile opens large. */
import { useEffect, useState } from "preact/hooks";
import { LiveTile } from "./live_tile.tsx";
import { type CameraJson, camKey } from "./types.ts";
import { useCameras } from "./use_cameras.ts";

export interface LiveWallProps {
  cameras: CameraJson[];
}

export function LiveWall(props: LiveWallProps) {
  const [cameras] = useCameras(props.cameras, 3000);
  const [focus, setFocus] = useState<string | undefined>();

  useEffect(() => {
    const fromHash = () => setFocus(/^#cam=(\d+-\d+)$/.exec(location.hash)?.[1]);
    fromHash();
    addEventListener("hashchange", fromHash);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && location.hash) history.back();
    };
    addEventListener("keydown", onKey);
    return () => {
      removeEventListener("hashchange", fromHash);
      removeEventListener("keydown", onKey);
    };
  }, []);

  if (cameras.length === 0) {
    return (
      <p class="empty">
        No camera yet. <a href="/cameras">Add a camera</a> to see it here.
      </p>
    );
  }
  const shown = focus ? cameras.filter((c) => camKey(c) === focus) : cameras;
  const open = (c: CameraJson) => {
    if (focus) history.back();
    else location.hash = `cam=${camKey(c)}`;
  };
  return (
    <section
      class={`wall n${Math.min(shown.length, 16)}${focus ? " focused" : ""}`}
      aria-label="Live cameras"
    >
      {shown.map((c) => (
        <LiveTile
          key={camKey(c)}
          cam={c}
          large={!!focus}
          onOpen={() => open(c)}
        />
      ))}
    </section>
  );
}
