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

const PBKDF2 = /^pbkdf2\$(\d{1,7})\$([0-9a-f]{16,128})\$([0-9a-f]{64})$/;

/** Checks a password against a stored one (plain or pbkdf2); constant time for a given form. */
export function verifyPassword(given: string, stored: string): boolean {
  const m = PBKDF2.exec(stored);
  if (!m) return safeEqual(given, stored);
  const hash = pbkdf2Sync(given, Buffer.from(m[2], "hex"), Number(m[1]), 32, "sha256");
  return timingSafeEqual(hash, Buffer.from(m[3], "hex"));
}

/** A stored form for `password` (what `--users` accepts after `name:role:`). */
export function hashPassword(password: string, iterations = 210_000): string {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  return `pbkdf2$${iterations}$${salt.toString("hex")}$${hash.toString("hex")}`;
}

/** A random identifier for sessions and CSRF tokens (256 bits, base64url). */
export const randomId = () => randomBytes(32).toString("base64url");
