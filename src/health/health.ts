/**
 * Health of the recorder as a pure function of camera statuses and storage, for
 * `GET /api/health`: 200 when every camera asked to record is recording, 503 with
 * reasons otherwise. Cameras not asked to record only produce warnings.
 */

export interface CameraHealthInput {
  gid: number;
  seq: number;
  /** Recording is wanted (manual isRec or schedule). */
  recording: boolean;
  state: string;
  lastError?: string;
  lastSegmentAt?: number;
  /** When the camera's recorder started. */
  startedAt?: number;
}

export interface StorageHealthInput {
  /** Why recording is paused for lack of space, if it is. */
  blocked?: string;
}

export interface HealthReport {
  ok: boolean;
  /** Why the answer is 503 (empty when ok). */
  reasons: string[];
  /** Worth a look, not a failure (e.g. a camera that only streams is down). */
  warnings: string[];
}

export function evaluateHealth(
  now: number,
  cameras: CameraHealthInput[],
  storage: StorageHealthInput,
  staleMs: number,
): HealthReport {
  const reasons: string[] = [];
  const warnings: string[] = [];
  if (storage.blocked) reasons.push(`storage: ${storage.blocked}`);
  for (const c of cameras) {
    const name = `camera ${c.gid}/${c.seq}`;
    const why = c.lastError ? ` (${c.lastError})` : "";
    const since = Math.max(c.lastSegmentAt ?? 0, c.startedAt ?? 0);
    const silentMs = since > 0 ? now - since : Infinity;
    if (c.state === "stopped") continue;
    if (c.recording && silentMs > staleMs) {
      const s = Number.isFinite(silentMs) ? `${Math.round(silentMs / 1000)} s` : "ever";
      reasons.push(`${name}: recording but no segment for ${s}, state ${c.state}${why}`);
    } else if (c.state === "failed" || c.state === "reconnecting" || c.state === "paused") {
      warnings.push(`${name}: ${c.state}${why}`);
    }
  }
  return { ok: reasons.length === 0, reasons, warnings };
}
