/** The cameras tab: list with state, record switch, edit and delete; add form. */
import { useState } from "preact/hooks";
import { CameraForm } from "./camera_form.tsx";
import { MotionEditor } from "./motion_editor.tsx";
import { STATE_LABEL } from "./format.ts";
import { type CameraJson, camKey } from "./types.ts";
import { useCameras } from "./use_cameras.ts";
import { useCanEdit } from "./account.ts";
import { labelled } from "./field_labels.ts";

export interface CamerasProps {
  cameras: CameraJson[];
}

export function Cameras(props: CamerasProps) {
  const [cameras, reload] = useCameras(props.cameras, 5000);
  const [form, setForm] = useState<{ editing?: CameraJson } | undefined>();
  const [message, setMessage] = useState("");
  /** The camera whose motion settings are open (admins only), by camKey. */
  const [motionFor, setMotionFor] = useState<string | undefined>();
  /** Viewers see the cameras but no control that needs the admin role. */
  const canEdit = useCanEdit();

  const call = async (method: string, url: string, body: unknown, done: string) => {
    const res = await fetch(url, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    }).catch(() => undefined); // no answer (offline, timed out): said below
    setMessage(
      res?.ok
        ? done
        : `Failed: ${labelled((await res?.json().catch(() => null))?.error ?? "no answer")}`,
    );
    await reload();
  };
  const remove = (c: CameraJson) => {
    if (!confirm(`Delete camera "${c.name}"? Its recordings are kept aside.`)) return;
    call("DELETE", `/api/camera/seq/${c.seq}/gid/${c.gid}`, undefined, `Deleted ${c.name}.`);
  };
  const toggle = (c: CameraJson) =>
    call("PUT", "/api/camera/record/status", {
      seq: c.seq,
      gid: c.gid,
      isRec: c.isRec ? 0 : 1,
    }, `Recording ${c.isRec ? "off" : "on"} for ${c.name}.`);

  return (
    <div class="cameras">
      <div class="section-head">
        <h1>Cameras</h1>
        {canEdit && !form && (
          <button type="button" class="primary" onClick={() => setForm({})}>Add camera</button>
        )}
      </div>
      <p class="muted" role="status" aria-live="polite">{message}</p>
      {canEdit && form && (
        <CameraForm
          key={form.editing ? camKey(form.editing) : "new"}
          editing={form.editing}
          onCancel={() => setForm(undefined)}
          onDone={() => {
            setMessage(form.editing ? "Saved." : "Camera added.");
            setForm(undefined);
            reload();
          }}
        />
      )}
      <ul class="cam-list">
        {cameras.map((c) => (
          <li key={camKey(c)} class="cam-row" data-cam={camKey(c)}>
            <div class="cam-id">
              <strong class="cam-name">{c.name}</strong>
              <span class="muted">G{c.gid} · #{c.seq} · {c.protocol}</span>
              <code class="muted iaddr">{c.iaddr}</code>
              {c.last_error && <span class="error">{c.last_error}</span>}
            </div>
            <span class={`badge state-${c.state}`}>{STATE_LABEL[c.state] ?? c.state}</span>
            <label class="switch">
              <input
                type="checkbox"
                role="switch"
                checked={c.isRec === 1}
                disabled={!canEdit}
                title={canEdit ? undefined : "Needs the admin role"}
                onChange={() => toggle(c)}
              />
              Record
            </label>
            {canEdit && (
              <div class="row-actions">
                <button
                  type="button"
                  onClick={() => setForm({ editing: c })}
                  aria-label={`Edit ${c.name}`}
                >
                  Edit
                </button>
                <button
                  type="button"
                  onClick={() => setMotionFor(motionFor === camKey(c) ? undefined : camKey(c))}
                  aria-label={`Motion settings for ${c.name}`}
                  aria-expanded={motionFor === camKey(c)}
                >
                  Motion
                </button>
                <button
                  type="button"
                  class="danger"
                  onClick={() => remove(c)}
                  aria-label={`Delete ${c.name}`}
                >
                  Delete
                </button>
              </div>
            )}
            {canEdit && motionFor === camKey(c) && (
              <MotionEditor
                camera={c}
                onClose={() => setMotionFor(undefined)}
                onSaved={(done) => {
                  setMessage(done);
                  setMotionFor(undefined);
                }}
              />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
