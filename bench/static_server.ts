/**
 * API baseline: the runtime's ceiling. A bare `Deno.serve` answering from memory with
 * the same bodies and content types as the recorder. Usage: static_server.ts PORT DIR,
 * where DIR holds `<name>.body` and `<name>.type`; served at `/<name>`.
 */
const [port, dir] = Deno.args;
const files = new Map<string, { body: Uint8Array<ArrayBuffer>; type: string }>();
for await (const e of Deno.readDir(dir)) {
  if (!e.name.endsWith(".body")) continue;
  const name = e.name.slice(0, -5);
  files.set(`/${name}`, {
    body: new Uint8Array(await Deno.readFile(`${dir}/${e.name}`)),
    type: await Deno.readTextFile(`${dir}/${name}.type`),
  });
}
Deno.serve(
  { hostname: "127.0.0.1", port: Number(port), onListen: () => console.log("READY") },
  (req) => {
    const f = files.get(new URL(req.url).pathname);
    if (!f) return new Response("not found", { status: 404 });
    return new Response(f.body, { headers: { "content-type": f.type } });
  },
);
