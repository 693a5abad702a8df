/**
 * Webhook signatures: `X-NVR-Signature: sha256=<hex HMAC-SHA256 of the body>` keyed with
 * `--webhook-secret`. A receiver recomputes it over the raw body and compares in constant
 * time (docs/integrations.md shows how). Computed synchronously (node:crypto): a delivery's
 * steps do not wait on the crypto thread pool, so their order is the sender's alone.
 */
import { createHmac } from "node:crypto";

/** The header value: `sha256=` and the hex HMAC-SHA256 of `body` keyed with `secret`. */
export function signBody(secret: string, body: string): string {
  return "sha256=" + createHmac("sha256", secret).update(body).digest("hex");
}
