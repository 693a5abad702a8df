/**
 * Presigned GET URLs of archive objects (`--archive-presign`): SigV4 in the query string
 * (aws4fetch's `signQuery`), valid for a few minutes, so a player fetches a bundle straight
 * from the store after a `302` instead of through the recorder. The URL carries a signature,
 * never the secret; it is handed only to a client that passed this recorder's access rules.
 */
import { AwsClient } from "aws4fetch";
import type { ArchiveConfig } from "../config/archive_config.ts";

/** How long a presigned URL stays valid (seconds). */
export const PRESIGN_SECONDS = 300;

/** `{endpoint}/{bucket}/{key}` with each path part encoded (path-style addressing). */
export const objectUrl = (endpoint: string, bucket: string, key: string) =>
  `${endpoint}/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;

/** SigV4 date-time of an instant: `YYYYMMDDTHHMMSSZ`. */
export const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, "");

/** A GET URL of `key` signed in its query, valid `seconds` from `nowMs`. */
export async function presignUrl(
  c: Pick<ArchiveConfig, "endpoint" | "bucket" | "region" | "credentials">,
  key: string,
  nowMs: number,
  seconds = PRESIGN_SECONDS,
): Promise<string> {
  const { accessKeyId, secretAccessKey } = c.credentials();
  const client = new AwsClient({ accessKeyId, secretAccessKey, service: "s3", region: c.region });
  const url = new URL(objectUrl(c.endpoint, c.bucket, key));
  url.searchParams.set("X-Amz-Expires", String(Math.max(1, Math.min(604_800, seconds))));
  const signed = await client.sign(url.toString(), {
    method: "GET",
    aws: { signQuery: true, datetime: amzDate(nowMs) },
  });
  return signed.url;
}
