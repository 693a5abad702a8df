/**
 * `deno run --allow-net bench/live_viewers.ts <ws url> <n> [slow]`: n WebSocket viewers of
 * a camera's low-latency live stream (GET /{gid}/{seq}/live.ws), in their own process so
 * that their CPU is not counted as the server's. With `slow`, one more viewer that sends
 * the upgrade and never reads (a stalled phone): the server must not buffer for it without
 * bound. Prints `bytes <total> messages <total> closed <n>` every second.
 */
const [url, count, mode] = Deno.args;
let bytes = 0, messages = 0, closed = 0;
for (let i = 0; i < Number(count); i++) {
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  ws.onmessage = (e) => {
    messages++;
    bytes += typeof e.data === "string" ? e.data.length : (e.data as ArrayBuffer).byteLength;
  };
  ws.onclose = () => closed++;
}
if (mode === "slow") {
  const u = new URL(url);
  const conn = await Deno.connect({ hostname: u.hostname, port: Number(u.port) });
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  await conn.write(new TextEncoder().encode(
    `GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  ));
  // Never read: the kernel's buffers fill, then the server's.
}
setInterval(() => console.log(`bytes ${bytes} messages ${messages} closed ${closed}`), 1000);
