/** Entry point: config → recorder → HTTP server; stops every camera cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from "./src/config/config.ts";
import { createLogger } from "./src/log.ts";
import { createNvr } from "./src/server.ts";

let config;
try {
  config = loadConfig(Deno.args, Deno.env.toObject());
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`nvr: ${err.message}\nSee docs/configuration.md for every setting.`);
  Deno.exit(2);
}

const log = createLogger(config.logFormat, {}, undefined, config.logLevel);
const nvr = createNvr(config, { log });
let server: Deno.HttpServer;
try {
  server = Deno.serve({
    hostname: config.host,
    port: config.port,
    onListen: ({ hostname, port }) => log.info("listening", { url: `http://${hostname}:${port}/` }),
  }, nvr.app.fetch);
} catch (err) {
  console.error(`nvr: cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`);
  Deno.exit(1);
}
await nvr.start();

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info("stopping", { signal });
  // Ctrl-C in a terminal reaches the GStreamer children too: give them time to finish.
  await nvr.shutdown(signal === "SIGINT" ? 3000 : 0);
  await server.shutdown();
  Deno.exit(0);
};
const onSignal = (signal: "SIGINT" | "SIGTERM") => () =>
  stop(signal).catch((err) => {
    log.error("stopping failed", { error: String(err) });
    Deno.exit(1);
  });
Deno.addSignalListener("SIGINT", onSignal("SIGINT"));
Deno.addSignalListener("SIGTERM", onSignal("SIGTERM"));
