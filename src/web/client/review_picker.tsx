/** Which cameras the review shows: a whole group at once, or up to nine picked by hand. */
import { type CameraJson, camKey } from "./types.ts";

interface Props {
  cameras: CameraJson[];
  selected: string[];
  onChange: (keys: string[]) => void;
}

export const MAX_REVIEW = 9;

export function CameraPicker({ cameras, selected, onChange }: Props) {
  const groups = [...new Set(cameras.map((c) => c.gid))].sort((a, b) => a - b);
  const toggle = (k: string) =>
    onChange(
      selected.includes(k)
        ? selected.filter((s) => s !== k)
        : [...selected, k].slice(0, MAX_REVIEW),
    );
  return (
    <details class="picker">
      <summary>Cameras ({selected.length})</summary>
      <div class="picker-body">
        <div class="picker-groups" role="group" aria-label="Whole groups">
          {groups.map((g) => (
            <button
              key={g}
              type="button"
              onClick={() =>
                onChange(cameras.filter((c) => c.gid === g).map(camKey).slice(0, MAX_REVIEW))}
            >
              Group {g}
            </button>
          ))}
        </div>
        <fieldset>
          <legend>Cameras shown (up to {MAX_REVIEW})</legend>
          {cameras.map((c) => {
            const k = camKey(c), on = selected.includes(k);
            return (
              <label key={k} class="check">
                <input
                  type="checkbox"
                  checked={on}
                  disabled={on ? selected.length === 1 : selected.length >= MAX_REVIEW}
                  onChange={() => toggle(k)}
                />
                {c.name} (G{c.gid} #{c.seq})
              </label>
            );
          })}
        </fieldset>
      </div>
    </details>
  );
}
