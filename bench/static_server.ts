/**
 * API baseline: the runtime's ceiling. A bare `Deno.serve` with the same bodies and
 * content types as the recorder. Usage: static_server.ts PORT DIR, where DIR holds
 * `<name>.body` and `<name>.type`, served at `/<name>` from memory; or `<name>.path`
 * (a file's path) and `<name>.type`, served as a bare file server does: open, fstat,
 * stream the file from disk on every request.
 */
const [port, dir] = Deno.args;
const files = new Map<string, { body?: Uint8Array<ArrayBuffer>; path?: string; type: string }>();
for await (const e of Deno.readDir(dir)) {
  const m = /^(.*)\.(body|path)$/.exec(e.name);
  if (!m) continue;
  const [, name, kind] = m;
  const type = await Deno.readTextFile(`${dir}/${name}.type`);
  if (kind === "body") {
    files.set(`/${name}`, { body: new Uint8Array(await Deno.readFile(`${dir}/${e.name}`)), type });
  } else {files.set(`/${name}`, {
      path: (await Deno.readTextFile(`${dir}/${e.name}`)).trim(),
      type,
    });}
}
Deno.serve(
  { hostname: "127.0.0.1", port: Number(port), onListen: () => console.log("READY") },
  async (req) => {
    const f = files.get(new URL(req.url).pathname);
    if (!f) return new Response("not found", { status: 404 });
    if (f.body) return new Response(f.body, { headers: { "content-type": f.type } });
    const file = await Deno.open(f.path!);
    const { size } = await file.stat();
    return new Response(file.readable, {
      headers: { "content-type": f.type, "content-length": String(size) },
    });
  },
);
