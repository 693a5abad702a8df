/** Media files are streamed (never read whole) and confined to the media root. */
import { join } from "node:path";
import { FolderConfinement, serveFile } from "../../../src/api/serve_file.ts";
import { assert, assertEquals } from "../../support/assert.ts";

const get = (range?: string) => new Request("http://x/f.ts", { headers: range ? { range } : {} });

Deno.test("a big file's first bytes come at once, without reading it whole", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "big.ts");
  const f = await Deno.open(path, { write: true, create: true });
  await f.truncate(2 ** 31); // 2 GiB, sparse
  f.close();
  const rss = Deno.memoryUsage().rss;
  const res = await serveFile(get(), path, "no-cache");
  const reader = res.body!.getReader();
  const first = await reader.read();
  await reader.cancel();
  assertEquals(res.headers.get("content-length"), String(2 ** 31));
  assert(first.value && first.value.length > 0 && first.value.length <= 4 * 2 ** 20);
  const grew = (Deno.memoryUsage().rss - rss) / 2 ** 20;
  assert(grew < 200, `RSS grew ${grew.toFixed(0)} MB`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ranges and whole files stream the right bytes", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "a.ts");
  const data = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
  await Deno.writeFile(path, data);
  const whole = await serveFile(get(), path, "no-cache");
  assertEquals(new Uint8Array(await whole.arrayBuffer()), data);
  const mid = await serveFile(get("bytes=1000-199999"), path, "no-cache");
  assertEquals(mid.status, 206);
  assertEquals(mid.headers.get("content-range"), "bytes 1000-199999/300000");
  assertEquals(new Uint8Array(await mid.arrayBuffer()), data.subarray(1000, 200_000));
  const tail = await serveFile(get("bytes=-500"), path, "no-cache");
  assertEquals(new Uint8Array(await tail.arrayBuffer()), data.subarray(299_500));
  assertEquals((await serveFile(get("bytes=400000-"), path, "no-cache")).status, 416);
  assertEquals((await serveFile(get(), join(dir, "none.ts"), "no-cache")).status, 404);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("confinement: symlinks out of the root are refused; folders are resolved once", async () => {
  const root = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  await Deno.writeTextFile(join(outside, "secret.ts"), "x");
  await Deno.mkdir(join(root, "1", "1"), { recursive: true });
  await Deno.writeTextFile(join(root, "1", "1", "a.ts"), "a");
  await Deno.symlink(join(outside, "secret.ts"), join(root, "1", "1", "link.ts"));
  await Deno.symlink(outside, join(root, "1", "out"));
  const c = new FolderConfinement(root);
  const real = await Deno.realPath(join(root, "1", "1", "a.ts"));
  assertEquals(await c.check(join(root, "1", "1", "a.ts")), real);
  assertEquals(await c.check(join(root, "1", "1", "a.ts")), real, "cached");
  assertEquals(await c.check(join(root, "1", "1", "link.ts")), undefined, "file symlink");
  assertEquals(await c.check(join(root, "1", "out", "secret.ts")), undefined, "folder symlink");
  assertEquals(await c.check(join(root, "1", "1", "none.ts")), undefined);
  // A cached folder swapped for a symlink out of the root is seen at the next request.
  await Deno.rename(join(root, "1", "1"), join(root, "1", "old"));
  await Deno.symlink(outside, join(root, "1", "1"));
  await Deno.writeTextFile(join(outside, "a.ts"), "y");
  assertEquals(await c.check(join(root, "1", "1", "a.ts")), undefined, "now a symlink out");
  // The same through a parent folder swapped for a symlink.
  await Deno.remove(join(root, "1", "1"));
  await Deno.rename(join(root, "1", "old"), join(root, "1", "1"));
  assertEquals(await c.check(join(root, "1", "1", "a.ts")), real);
  await Deno.rename(join(root, "1"), join(root, "moved"));
  await Deno.mkdir(join(outside, "1"));
  await Deno.writeTextFile(join(outside, "1", "a.ts"), "z");
  await Deno.symlink(outside, join(root, "1"));
  assertEquals(await c.check(join(root, "1", "1", "a.ts")), undefined, "parent symlink out");
  await Deno.remove(root, { recursive: true });
  await Deno.remove(outside, { recursive: true });
});
