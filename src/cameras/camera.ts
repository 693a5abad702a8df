/** A registered camera, as the registry stores it and the seed's API describes it. */
export interface Camera {
  gid: number;
  seq: number;
  name: string;
  /** Source address; may hold credentials: never show it unmasked. */
  iaddr: string;
  protocol: string;
  isRec: 0 | 1;
  /** `YYYY-MM-DD HH:MM:SS` local time. */
  inserted: string;
  updated: string;
}

export const cameraKey = (gid: number, seq: number) => `${gid}/${seq}`;

/** Protocol values accepted and echoed back; the iaddr's scheme decides how to pull. */
export const PROTOCOLS = ["rtsp", "rtsps", "rtmp", "http", "https", "hls", "file", "test"] as const;
