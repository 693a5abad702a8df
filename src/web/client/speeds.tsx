/** The playback speed buttons of the recordings view. */
export const SPEEDS = [1, 2, 4, 8];

export function Speeds({ speed, onPick }: { speed: number; onPick: (speed: number) => void }) {
  return (
    <span class="speeds" role="group" aria-label="Speed">
      {SPEEDS.map((s) => (
        <button
          key={s}
          type="button"
          aria-pressed={speed === s}
          onClick={() => onPick(s)}
        >
          {s}x
        </button>
      ))}
    </span>
  );
}
