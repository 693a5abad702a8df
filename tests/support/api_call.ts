/**
 * One API request as the tests make it, through any transport (real HTTP or the app in
 * process): JSON body when given, the access-control header when set; the answer's status
 * and its JSON (or its text when it is not JSON).
 */
export type Send = (path: string, init: RequestInit) => Promise<Response>;

// deno-lint-ignore no-explicit-any -- tests read whatever JSON the API answers
export type ApiAnswer = { status: number; json: any };

export async function apiCall(
  send: Send,
  method: string,
  path: string,
  body?: unknown,
  authorization?: string,
): Promise<ApiAnswer> {
  const res = await send(path, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(authorization ? { authorization } : {}),
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch { /* not JSON: the text is the answer */ }
  return { status: res.status, json };
}

/** The seed's local timestamp format, `YYYY-MM-DD HH:MM:SS`. */
export const CONTRACT_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** The fields of the seed's answer to `POST /api/camera`, sorted. */
export const CREATED_FIELDS = ["inserted", "isRec", "status", "stream_url", "updated"];

/** A camera body as the seed's controller sends it (a synthetic source: no network). */
export const contractCamera = (over: Record<string, unknown> = {}) => ({
  seq: 1,
  gid: 2,
  name: "1번 카메라",
  iaddr: "test://ball",
  protocol: "rtmp",
  isRec: 0,
  ...over,
});
