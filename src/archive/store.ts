/**
 * The object store as the archive needs it (put, head, ranged get, list, delete), and its
 * S3 implementation: plain `fetch` requests signed with SigV4 by `aws4fetch`, path-style
 * (`{endpoint}/{bucket}/{key}`), which AWS, Ceph's RADOS Gateway, MinIO and others accept.
 * Every failure is a `StoreError` with the HTTP status and the S3 error code, never the
 * credentials.
 */
import { AwsClient } from "aws4fetch";
import type { ArchiveConfig } from "../config/archive_config.ts";
import { objectUrl, presignUrl } from "./presign.ts";

type StoreConfig = Pick<ArchiveConfig, "endpoint" | "bucket" | "region" | "credentials">;

export interface ObjectInfo {
  size: number;
  /** The ETag without quotes (an MD5 hex for a single-part upload). */
  etag: string;
}

export interface Listing {
  keys: { key: string; size: number }[];
  /** "Folders" under the prefix (with a delimiter). */
  prefixes: string[];
}

export interface ObjectStore {
  /** Stores an object; `md5` (base64) makes the store check the bytes it got. */
  put(key: string, body: Uint8Array, contentType: string, md5?: string): Promise<void>;
  /** Size and ETag; undefined when the object does not exist. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** The object (or bytes `start`..`end` inclusive of it) as a streamed response body. */
  get(key: string, range?: { start: number; end: number }): Promise<Response>;
  list(prefix: string, delimiter?: string): Promise<Listing>;
  delete(key: string): Promise<void>;
  /** Throws when the bucket cannot be reached with these credentials (HEAD of the bucket). */
  ping(): Promise<void>;
  /** A short-lived GET URL of the object signed in its query (stores that can). */
  presign?(key: string, seconds?: number): Promise<string>;
}

export class StoreError extends Error {
  constructor(message: string, readonly status: number, readonly code?: string) {
    super(message);
  }
}

const TIMEOUT_MS = 120_000;

const unescapeXml = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** The S3 error code of an error answer (`<Code>…</Code>`), if any. */
export function errorCode(xml: string): string | undefined {
  return /<Code>([^<]{1,100})<\/Code>/.exec(xml)?.[1];
}

/** A ListObjectsV2 answer: keys, common prefixes and the continuation token. */
export function parseListing(xml: string): Listing & { next?: string } {
  const keys = [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map((m) => ({
    key: unescapeXml(/<Key>([\s\S]*?)<\/Key>/.exec(m[1])?.[1] ?? ""),
    size: Number(/<Size>(\d+)<\/Size>/.exec(m[1])?.[1] ?? 0),
  }));
  const prefixes = [...xml.matchAll(/<CommonPrefixes>\s*<Prefix>([\s\S]*?)<\/Prefix>/g)].map((
    m,
  ) => unescapeXml(m[1]));
  const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
  const next = /<NextContinuationToken>([\s\S]*?)<\/NextContinuationToken>/.exec(xml)?.[1];
  return { keys, prefixes, next: truncated && next ? unescapeXml(next) : undefined };
}

export class S3Store implements ObjectStore {
  #client: AwsClient;
  #base: string;
  #config: StoreConfig;

  constructor(c: StoreConfig) {
    const { accessKeyId, secretAccessKey } = c.credentials();
    this.#client = new AwsClient({ accessKeyId, secretAccessKey, service: "s3", region: c.region });
    this.#base = `${c.endpoint}/${c.bucket}`;
    this.#config = c;
  }

  #url = (key: string) => objectUrl(this.#config.endpoint, this.#config.bucket, key);

  presign(key: string, seconds?: number): Promise<string> {
    return presignUrl(this.#config, key, Date.now(), seconds);
  }

  async #send(what: string, url: string, init: RequestInit, ok: number[]): Promise<Response> {
    let res: Response;
    try {
      res = await this.#client.fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw new StoreError(`${what}: ${(err as Error).message}`, 0);
    }
    if (ok.includes(res.status)) return res;
    const text = init.method === "HEAD" ? "" : await res.text().catch(() => "");
    const code = errorCode(text);
    throw new StoreError(`${what}: HTTP ${res.status}${code ? ` ${code}` : ""}`, res.status, code);
  }

  async put(key: string, body: Uint8Array, contentType: string, md5?: string): Promise<void> {
    const headers: Record<string, string> = { "content-type": contentType };
    if (md5) headers["content-md5"] = md5;
    const res = await this.#send(`PUT ${key}`, this.#url(key), {
      method: "PUT",
      headers,
      body: body as Uint8Array<ArrayBuffer>,
    }, [200]);
    await res.body?.cancel();
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const res = await this.#send(`HEAD ${key}`, this.#url(key), { method: "HEAD" }, [200, 404]);
    await res.body?.cancel();
    if (res.status === 404) return undefined;
    return {
      size: Number(res.headers.get("content-length") ?? -1),
      etag: (res.headers.get("etag") ?? "").replace(/"/g, ""),
    };
  }

  get(key: string, range?: { start: number; end: number }): Promise<Response> {
    const headers: Record<string, string> = {};
    if (range) headers.range = `bytes=${range.start}-${range.end}`;
    return this.#send(`GET ${key}`, this.#url(key), { headers }, range ? [206] : [200]);
  }

  async list(prefix: string, delimiter?: string): Promise<Listing> {
    const out: Listing = { keys: [], prefixes: [] };
    let token: string | undefined;
    do {
      const q = new URLSearchParams({ "list-type": "2", prefix });
      if (delimiter) q.set("delimiter", delimiter);
      if (token) q.set("continuation-token", token);
      const res = await this.#send(`LIST ${prefix}`, `${this.#base}?${q}`, {}, [200]);
      const page = parseListing(await res.text());
      out.keys.push(...page.keys);
      out.prefixes.push(...page.prefixes);
      token = page.next;
    } while (token);
    return out;
  }

  async ping(): Promise<void> {
    const res = await this.#send("HEAD bucket", this.#base, { method: "HEAD" }, [200]);
    await res.body?.cancel();
  }

  async delete(key: string): Promise<void> {
    const res = await this.#send(`DELETE ${key}`, this.#url(key), { method: "DELETE" }, [
      200,
      204,
      404,
    ]);
    await res.body?.cancel();
  }
}
