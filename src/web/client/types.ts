/** Shapes of the REST API answers the UI reads (see src/api/). */

/** The recorder's own state type (type-only: nothing of the server is bundled). */
export type { CameraState } from "../../recorder/camera_recorder.ts";
import type { CameraState } from "../../recorder/camera_recorder.ts";
import type { Camera } from "../../cameras/camera.ts";

/** A camera as GET /api/camera shows it (iaddr masked), with its live state. */
export interface CameraJson extends Camera {
  stream_url: string;
  state: CameraState;
  since: string;
  last_error: string | null;
  reconnects: number;
  segments: number;
  last_segment_at: string | null;
  bitrate?: number;
  bytes_written?: number;
  outage_since?: string | null;
  codec: string | null;
  /** The camera's audio as it arrives (recorded as AAC), or null. */
  audio?: string | null;
  recording: string | null;
}

export interface SessionJson {
  time: string;
  start: string;
  end: string;
  spans: [string, string][];
  segments: number;
  bytes: number;
  open: boolean;
  close_reason: string | null;
  record_url: string;
}

/** One entry of GET /api/camera/seq/{seq}/gid/{gid}/thumbnails?date=. */
export interface ThumbnailJson {
  time: string;
  url: string;
}

export interface FieldError {
  field: string;
  message: string;
}

/** A camera's identity in URLs and forms. */
export const camKey = (c: { gid: number; seq: number }) => `${c.gid}-${c.seq}`;
