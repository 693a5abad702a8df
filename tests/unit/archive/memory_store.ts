/** An in-memory ObjectStore for unit tests, with switches to fail and to lie. */
import type { Listing, ObjectInfo, ObjectStore } from "../../../src/archive/store.ts";
import { StoreError } from "../../../src/archive/store.ts";
import { createHash } from "node:crypto";

export class MemoryStore implements ObjectStore {
  objects = new Map<string, Uint8Array>();
  calls: string[] = [];
  /** Every request fails (a store that is down). */
  down = false;
  /** HEAD answers this size instead of the real one (a store that lost bytes). */
  headSize?: number;

  #check(what: string) {
    this.calls.push(what);
    if (this.down) throw new StoreError(`${what}: connection refused`, 0);
  }

  put(key: string, body: Uint8Array, _type: string, md5?: string): Promise<void> {
    this.#check(`PUT ${key}`);
    if (md5 && createHash("md5").update(body).digest("base64") !== md5) {
      throw new StoreError("BadDigest", 400, "BadDigest");
    }
    this.objects.set(key, body.slice());
    return Promise.resolve();
  }

  head(key: string): Promise<ObjectInfo | undefined> {
    this.#check(`HEAD ${key}`);
    const o = this.objects.get(key);
    if (!o) return Promise.resolve(undefined);
    const etag = createHash("md5").update(o).digest("hex");
    return Promise.resolve({ size: this.headSize ?? o.length, etag });
  }

  /** Set to presign: a fake signed URL of the object. */
  presign?: (key: string) => Promise<string>;

  get(key: string, range?: { start: number; end: number }): Promise<Response> {
    this.#check(`GET ${key}`);
    const o = this.objects.get(key);
    if (!o) throw new StoreError("NoSuchKey", 404, "NoSuchKey");
    const body = range ? o.slice(range.start, range.end + 1) : o;
    return Promise.resolve(
      new Response(body as Uint8Array<ArrayBuffer>, { status: range ? 206 : 200 }),
    );
  }

  list(prefix: string, delimiter?: string): Promise<Listing> {
    this.#check(`LIST ${prefix}`);
    const out: Listing = { keys: [], prefixes: [] };
    for (const [key, b] of [...this.objects.entries()].sort()) {
      if (!key.startsWith(prefix)) continue;
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      if (cut < 0) out.keys.push({ key, size: b.length });
      else if (!out.prefixes.includes(key.slice(0, cut + 1))) {
        out.prefixes.push(key.slice(0, cut + 1));
      }
    }
    return Promise.resolve(out);
  }

  delete(key: string): Promise<void> {
    this.#check(`DELETE ${key}`);
    this.objects.delete(key);
    return Promise.resolve();
  }

  ping(): Promise<void> {
    this.#check("HEAD bucket");
    return Promise.resolve();
  }
}
