/** JSON error responses and body parsing shared by the API routes. */
import type { Context } from "hono";
import type { z } from "zod";
import { fieldErrors } from "../cameras/schemas.ts";

export const MAX_BODY_BYTES = 64 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 416 | 422,
    message: string,
    readonly fields?: { field: string; message: string }[],
  ) {
    super(message);
  }
}

/** The seed's `status: 0` plus a message and, for validation errors, each bad field. */
export function errorBody(err: HttpError) {
  return { status: 0, error: err.message, ...(err.fields ? { fields: err.fields } : {}) };
}

/** Reads a JSON body (size-limited) and validates it; throws HttpError 400/413/415. */
export async function readBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  // Any Content-Type is accepted as long as the body is JSON (curl -d sends form-urlencoded).
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    throw new HttpError(413, `body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  const buffer = await c.req.arrayBuffer();
  if (buffer.byteLength > MAX_BODY_BYTES) {
    throw new HttpError(413, `body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(buffer));
  } catch (err) {
    // Not UTF-8 (the decoder: a TypeError) or not JSON (a SyntaxError).
    if (err instanceof TypeError || err instanceof SyntaxError) {
      throw new HttpError(400, "body is not valid JSON");
    }
    throw err;
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new HttpError(400, "body must be a JSON object");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new HttpError(400, "invalid fields", fieldErrors(parsed.error));
  }
  return parsed.data;
}

/** Validates a request's query parameters; throws HttpError 400 with each bad field. */
export function readQuery<T extends z.ZodType>(
  schema: T,
  query: Record<string, string>,
): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new HttpError(400, "invalid query", fieldErrors(parsed.error));
  return parsed.data;
}
