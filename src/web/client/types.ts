/** Shapes of the REST API answers the UI reads (see src/api/). */

/** The recorder's own state type (type-only: nothing of the server is bundled). */
export type { CameraState } from "../../recorder/camera_status.ts";
import type { CameraViewJson } from "../../api/camera_routes.ts";

/**
 * A camera as GET /api/camera shows it (iaddr masked), with its live state: the server's
 * own type (type-only import), so a field the API adds shows up here.
 */
export type CameraJson = CameraViewJson;

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
  /** Its stretches by where they are kept (absent from older servers: all local). */
  storage?: StorageJson[];
}

/** Where a stretch of recording is kept: this recorder's disk, the archive only, or both. */
export type Where = "local" | "archive" | "both";

export interface StorageJson {
  start: string;
  end: string;
  where: Where;
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
