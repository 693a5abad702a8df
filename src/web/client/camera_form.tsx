/** Add or edit one camera through the REST API; field errors appear next to their fields. */
import { useState } from "preact/hooks";
import type { CameraJson, FieldError } from "./types.ts";
import { labelled } from "./field_labels.ts";

export const PROTOCOLS = ["rtsp", "rtsps", "rtmp", "http", "https", "hls", "file", "test"];
const MASK = ":***@";

interface Props {
  /** The camera being edited; none to add one. */
  editing?: CameraJson;
  onDone: () => void;
  onCancel: () => void;
}

type Values = Record<"seq" | "gid" | "name" | "iaddr" | "protocol", string> & { isRec: boolean };

/** Turns the API's `{ fields: [{ field, message }] }` into a map by field name. */
export function byField(fields: FieldError[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields ?? []) {
    for (const name of f.field.split(",")) {
      out[name === "b_gid" ? "gid" : name] ??= labelled(f.message);
    }
  }
  return out;
}

export function CameraForm({ editing, onDone, onCancel }: Props) {
  const [v, setV] = useState<Values>(() => ({
    seq: String(editing?.seq ?? ""),
    gid: String(editing?.gid ?? ""),
    name: editing?.name ?? "",
    iaddr: editing?.iaddr ?? "",
    protocol: editing?.protocol ?? "rtsp",
    isRec: editing ? editing.isRec === 1 : true,
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Values) => (e: Event) => {
    const t = e.target as HTMLInputElement;
    setV({ ...v, [k]: t.type === "checkbox" ? t.checked : t.value });
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (v.iaddr.includes(MASK)) {
      setErrors({ iaddr: "Type the password again: it is never sent back to the browser." });
      return;
    }
    const num = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s) : s);
    const body = {
      seq: num(v.seq),
      gid: num(v.gid),
      ...(editing ? { b_gid: editing.gid } : {}),
      name: v.name,
      iaddr: v.iaddr.trim(),
      protocol: v.protocol,
      isRec: v.isRec ? 1 : 0,
    };
    setBusy(true);
    try {
      const res = await fetch("/api/camera", {
        method: editing ? "PUT" : "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      if (res.ok) return onDone();
      const json = await res.json().catch(() => ({})); // not JSON (a proxy's page): HTTP status
      const fields = byField(json.fields);
      setErrors(
        Object.keys(fields).length
          ? fields
          : { form: labelled(json.error ?? `HTTP ${res.status}`) },
      );
    } catch (err) {
      setErrors({ form: String((err as Error).message ?? err) });
    } finally {
      setBusy(false);
    }
  };

  const field = (k: keyof Values, label: string, input: preact.JSX.Element, hint?: string) => (
    <div class={`field${errors[k] ? " invalid" : ""}`}>
      <label for={`cam-${k}`}>{label}</label>
      {input}
      {hint && !errors[k] && <small class="muted">{hint}</small>}
      {errors[k] && <small class="error" id={`cam-${k}-err`} role="alert">{errors[k]}</small>}
    </div>
  );
  const aria = (k: string) => ({
    id: `cam-${k}`,
    "aria-invalid": !!errors[k],
    "aria-describedby": errors[k] ? `cam-${k}-err` : undefined,
  });
  return (
    <form class="camera-form" onSubmit={submit} noValidate>
      <h2>{editing ? `Edit ${editing.name}` : "Add a camera"}</h2>
      <div class="form-grid">
        {field("name", "Name", <input {...aria("name")} value={v.name} onInput={set("name")} />)}
        {field(
          "gid",
          "Group",
          <input {...aria("gid")} inputMode="numeric" value={v.gid} onInput={set("gid")} />,
        )}
        {field(
          "seq",
          "Number",
          <input
            {...aria("seq")}
            inputMode="numeric"
            value={v.seq}
            onInput={set("seq")}
            disabled={!!editing}
          />,
        )}
        {field(
          "protocol",
          "Protocol",
          <select {...aria("protocol")} value={v.protocol} onChange={set("protocol")}>
            {PROTOCOLS.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>,
        )}
      </div>
      {field(
        "iaddr",
        "Source URL",
        <input
          {...aria("iaddr")}
          value={v.iaddr}
          onInput={set("iaddr")}
          placeholder="rtsp://user:password@192.168.1.20/stream1"
          autoComplete="off"
          spellcheck={false}
        />,
        editing?.iaddr.includes(MASK)
          ? "The password shows as ***: type it again to save."
          : undefined,
      )}
      <label class="check">
        <input type="checkbox" checked={v.isRec} onChange={set("isRec")} /> Record continuously
      </label>
      {errors.form && <p class="error" role="alert">{errors.form}</p>}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {editing ? "Save" : "Add camera"}
        </button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
