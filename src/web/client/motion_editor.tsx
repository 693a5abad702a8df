/**
 * A camera's motion settings for admins (GET/PUT /api/camera/seq/{seq}/gid/{gid}/motion):
 * enabled, sensitivity, minimum area (%) and mask polygons drawn over the camera's snapshot.
 * A click or tap on the picture adds a point to the polygon being drawn; with the picture
 * focused, the arrow keys move a cursor and Enter or Space adds a point there. Masks are
 * stored in 0–1 coordinates of the picture (mask_math.ts).
 */
import { useEffect, useState } from "preact/hooks";
import type { CameraJson } from "./types.ts";
import {
  areaToPercent,
  canClose,
  MAX_MASK_POINTS,
  MAX_MASKS,
  motionBody,
  motionFieldErrors,
  type MotionForm,
  movePoint,
  normalizedPoint,
  type Point,
  svgPoints,
} from "./mask_math.ts";

interface Props {
  camera: CameraJson;
  onClose: () => void;
  onSaved: (message: string) => void;
}

const KEY_STEP: Record<string, Point> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

export function MotionEditor({ camera, onClose, onSaved }: Props) {
  const base = `/api/camera/seq/${camera.seq}/gid/${camera.gid}/motion`;
  const id = (k: string) => `motion-${camera.gid}-${camera.seq}-${k}`;
  const [f, setF] = useState<MotionForm | undefined>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [picture, setPicture] = useState<"loading" | "ok" | "none">("loading");
  const [ratio, setRatio] = useState("16 / 9");
  const [cursor, setCursor] = useState<Point | undefined>();

  useEffect(() => {
    fetch(base, { signal: AbortSignal.timeout(15_000) })
      .then(async (r) => {
        const j = await r.json();
        if (!r.ok) throw new Error(j.error ?? `HTTP ${r.status}`);
        setF({
          enabled: j.enabled,
          sensitivity: j.sensitivity,
          minAreaPercent: areaToPercent(j.min_area),
          masks: j.masks ?? [],
          draft: [],
        });
      })
      .catch((e) => setErrors({ form: `Cannot load the motion settings: ${e.message ?? e}` }));
  }, [base]);

  if (!f) {
    return (
      <section class="motion-editor" aria-label={`Motion settings for ${camera.name}`}>
        {errors.form
          ? <p class="error" role="alert">{errors.form}</p>
          : <p class="muted">Loading…</p>}
        <div class="actions">
          <button type="button" onClick={onClose}>Close</button>
        </div>
      </section>
    );
  }

  const update = (next: Partial<MotionForm>) => setF({ ...f, ...next });
  const addPoint = (p: Point) => {
    if (f.draft.length >= MAX_MASK_POINTS || f.masks.length >= MAX_MASKS) return;
    update({ draft: [...f.draft, p] });
  };
  const onPicture = (e: MouseEvent) => {
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    addPoint(normalizedPoint(e.clientX, e.clientY, box));
  };
  const onKey = (e: KeyboardEvent) => {
    const step = KEY_STEP[e.key];
    const at = cursor ?? [0.5, 0.5];
    if (step) {
      const d = e.shiftKey ? 0.1 : 0.02;
      setCursor(movePoint(at, step[0] * d, step[1] * d));
    } else if (e.key === "Enter" || e.key === " ") {
      addPoint(at);
    } else return;
    e.preventDefault();
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const out = motionBody(f);
    if ("errors" in out) return setErrors(out.errors);
    setBusy(true);
    try {
      const res = await fetch(base, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(out.body),
        signal: AbortSignal.timeout(15_000),
      });
      if (res.ok) return onSaved(`Motion settings saved for ${camera.name}.`);
      const json = await res.json().catch(() => ({})); // not JSON: the HTTP status below
      const fields = motionFieldErrors(json.fields);
      setErrors(Object.keys(fields).length ? fields : { form: json.error ?? `HTTP ${res.status}` });
    } catch (err) {
      setErrors({ form: String((err as Error).message ?? err) });
    } finally {
      setBusy(false);
    }
  };

  const err = (k: string) =>
    errors[k] && <small class="error" id={id(`${k}-err`)} role="alert">{errors[k]}</small>;
  const aria = (k: string) => ({
    id: id(k),
    "aria-invalid": !!errors[k],
    "aria-describedby": errors[k] ? id(`${k}-err`) : undefined,
  });
  const drawing = f.draft.length > 0;
  return (
    <form
      class="motion-editor"
      aria-label={`Motion settings for ${camera.name}`}
      onSubmit={save}
      noValidate
    >
      <h2>Motion · {camera.name}</h2>
      <div class="form-grid">
        <label class="check">
          <input
            type="checkbox"
            {...aria("enabled")}
            checked={f.enabled}
            onChange={(e) => update({ enabled: (e.target as HTMLInputElement).checked })}
          />{" "}
          Enabled
        </label>
        <div class={`field${errors.sensitivity ? " invalid" : ""}`}>
          <label for={id("sensitivity")}>Sensitivity: {f.sensitivity}</label>
          <input
            type="range"
            min={1}
            max={100}
            step={1}
            {...aria("sensitivity")}
            value={f.sensitivity}
            onInput={(e) => update({ sensitivity: Number((e.target as HTMLInputElement).value) })}
          />
          {err("sensitivity")}
        </div>
        <div class={`field${errors.min_area ? " invalid" : ""}`}>
          <label for={id("min_area")}>Minimum area (% of the picture)</label>
          <input
            {...aria("min_area")}
            inputMode="decimal"
            value={f.minAreaPercent}
            onInput={(e) => update({ minAreaPercent: (e.target as HTMLInputElement).value })}
          />
          {err("min_area")}
        </div>
      </div>
      <p class="muted" id={id("help")}>
        Masks: areas where motion is ignored. Click or tap the picture to add the points of a
        polygon (or focus it, move with the arrow keys and press Enter), then Close polygon.
      </p>
      <div
        class="mask-surface"
        style={{ aspectRatio: ratio }}
        data-picture={picture}
        role="application"
        tabIndex={0}
        aria-label={`Picture of ${camera.name}: add a mask point`}
        aria-describedby={id("help")}
        onClick={onPicture}
        onKeyDown={onKey}
        onBlur={() => setCursor(undefined)}
      >
        {picture !== "none" && (
          <img
            src={`/${camera.gid}/${camera.seq}/snapshot.jpg`}
            alt=""
            draggable={false}
            onLoad={(e) => {
              const img = e.target as HTMLImageElement;
              if (img.naturalWidth && img.naturalHeight) {
                setRatio(`${img.naturalWidth} / ${img.naturalHeight}`);
              }
              setPicture("ok");
            }}
            onError={() => setPicture("none")}
          />
        )}
        {picture === "none" && (
          <span class="muted mask-nopic">
            No picture from this camera yet
          </span>
        )}
        <svg viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true">
          {f.masks.map((m, i) => <polygon key={i} class="mask" points={svgPoints(m)} />)}
          {drawing && <polyline class="mask-draft" points={svgPoints(f.draft)} />}
          {f.draft.map(([x, y], i) => (
            <circle key={i} class="mask-point" cx={x * 100} cy={y * 100} r="0.9" />
          ))}
          {cursor && (
            <circle class="mask-cursor" cx={cursor[0] * 100} cy={cursor[1] * 100} r="1.6" />
          )}
        </svg>
      </div>
      <div class="actions">
        <button
          type="button"
          disabled={!canClose(f.draft)}
          onClick={() => update({ masks: [...f.masks, f.draft], draft: [] })}
        >
          Close polygon
        </button>
        <button
          type="button"
          disabled={!drawing}
          onClick={() => update({ draft: f.draft.slice(0, -1) })}
        >
          Undo point
        </button>
        <span class="muted" aria-live="polite">
          {drawing ? `${f.draft.length} point${f.draft.length === 1 ? "" : "s"}` : ""}
        </span>
      </div>
      {f.masks.length > 0 && (
        <ul class="mask-list">
          {f.masks.map((m, i) => (
            <li key={i}>
              Mask {i + 1} ({m.length} points){" "}
              <button
                type="button"
                class="danger"
                aria-label={`Delete mask ${i + 1}`}
                onClick={() => update({ masks: f.masks.filter((_, j) => j !== i) })}
              >
                Delete mask
              </button>
            </li>
          ))}
        </ul>
      )}
      {err("masks")}
      {errors.enabled && err("enabled")}
      {errors.form && <p class="error" role="alert">{errors.form}</p>}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>Save</button>
        <button type="button" onClick={onClose}>Cancel</button>
      </div>
    </form>
  );
}
