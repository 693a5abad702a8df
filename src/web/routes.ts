/** The browser UI (placeholder until the UI lands): serves static files. */
import { Hono } from "hono";
import { serveFile } from "../api/serve_file.ts";

const STATIC_DIR = new URL("../../static/", import.meta.url);

export function webRoutes() {
  const app = new Hono();
  app.get("/", (c) => serveFile(c.req.raw, new URL("index.html", STATIC_DIR).pathname, "no-cache"));
  return app;
}
