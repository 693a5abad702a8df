/**
 * Webhook signatures: `X-NVR-Signature: sha256=<hex HMAC-SHA256 of the body>` keyed with
 * `--webhook-secret`. A receiver recomputes it over the raw body and compares in constant
 * time (docs/integrations.md shows how).
 */
const encoder = new TextEncoder();

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** The HMAC key of `secret`, made once and reused for every delivery. */
export function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

/** The header value: `sha256=` and the hex HMAC-SHA256 of `body`. */
export async function signBody(key: CryptoKey, body: string): Promise<string> {
  return "sha256=" + hex(await crypto.subtle.sign("HMAC", key, encoder.encode(body)));
}
