/**
 * Secret comparison without timing leaks: both sides are HMAC'd with a per-process
 * random key (equal lengths), then compared with timingSafeEqual. Passwords are
 * plain (compared the same way) or PBKDF2-SHA256 hashes: `pbkdf2$<iter>$<salt hex>$<hash hex>`.
 */
import { createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

const KEY = randomBytes(32);
const digest = (s: string) => createHmac("sha256", KEY).update(s, "utf8").digest();

/** A keyed digest of a secret, safe to use as a map key (hex). */
export const fingerprint = (s: string) => digest(s).toString("hex");

/** Constant-time string equality (time does not depend on where they differ, nor on length). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export const PBKDF2 = /^pbkdf2\$(\d{1,7})\$([0-9a-f]{16,128})\$([0-9a-f]{64})$/;

/** Derives a PBKDF2-SHA256 hash (32 bytes); asynchronous, so the event loop keeps serving. */
export type Hasher = (
  password: string,
  salt: Uint8Array,
  iterations: number,
) => Promise<Uint8Array>;

/** WebCrypto PBKDF2-SHA256: the work runs off the JavaScript thread. */
export const pbkdf2: Hasher = async (password, salt, iterations) => {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(salt), iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
};

const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));

/**
 * Checks a password against a stored one (plain or pbkdf2); constant time for a given form.
 * The hash runs through `hasher` (asynchronous WebCrypto by default).
 */
export async function verifyPassword(
  given: string,
  stored: string,
  hasher: Hasher = pbkdf2,
): Promise<boolean> {
  const m = PBKDF2.exec(stored);
  if (!m) return safeEqual(given, stored);
  const hash = await hasher(given, fromHex(m[2]), Number(m[1]));
  return timingSafeEqual(hash, fromHex(m[3]));
}

/** A stored form for `password` (what `--users` accepts after `name:role:`). */
export function hashPassword(password: string, iterations = 210_000): string {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  return `pbkdf2$${iterations}$${salt.toString("hex")}$${hash.toString("hex")}`;
}

/** A random identifier for sessions and CSRF tokens (256 bits, base64url). */
export const randomId = () => randomBytes(32).toString("base64url");
