/**
 * The browser UI: server-rendered pages (Live, Recordings, Review, Cameras), each with one
 * hydrated island, and the client bundle built by `deno task build`.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { assetResponse, loadAsset } from "./assets.ts";
import { gzip } from "../util/gzip.ts";
import { localDate } from "../time.ts";
import type { CameraJson } from "./client/types.ts";
import { renderPage, type Tab } from "./page.tsx";
import { parseCams } from "./client/sync_math.ts";

const STATIC_DIR = new URL("../../static/", import.meta.url);
const BUNDLE = new URL("build/app.js", STATIC_DIR).pathname;
const CSS = new URL("app.css", STATIC_DIR).pathname;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CAM = /^\d{1,9}-\d{1,9}$/;
/** A node id (archive/keys.ts's NODE_RE). */
const NODE = /^[A-Za-z0-9._-]{1,64}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A review's `t`: ISO 8601 with a zone, or epoch ms; anything else is ignored (now). */
export function reviewTime(t: string | undefined): number | undefined {
  if (!t) return undefined;
  const ms = /^\d{10,15}$/.test(t) ? Number(t) : ISO.test(t) ? Date.parse(t) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Where a page gets the camera list (the same JSON as GET /api/camera). */
export type CameraSource = (c: Context) => Promise<CameraJson[]>;

/** `archive`: the archive is on (the recordings page then offers fleet review). */
export function webRoutes(cameras: CameraSource, o: { archive?: boolean } = {}) {
  const app = new Hono();

  const page = async (c: Context, tab: Tab, title: string, extra: Record<string, unknown>) => {
    const [list, css, js] = await Promise.all([
      cameras(c),
      loadAsset(CSS),
      loadAsset(BUNDLE),
    ]);
    if (!js) {
      return c.text("UI bundle missing: run `deno task build`.", 503);
    }
    const html = renderPage({
      tab,
      title,
      css: css ? new TextDecoder().decode(css.body) : "",
      script: `/assets/app.js?v=${js.etag.slice(1, 9)}`,
      props: { cameras: list, ...extra },
    });
    const bytes = new TextEncoder().encode(html);
    const gz = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
    return new Response(gz ? await gzip(bytes) as BodyInit : bytes as BodyInit, {
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-cache",
        vary: "accept-encoding",
        ...(gz ? { "content-encoding": "gzip" } : {}),
      },
    });
  };

  app.get("/", (c) => page(c, "live", "Live", {}));
  app.get("/recordings", (c) => {
    const date = c.req.query("date") ?? "";
    const cam = c.req.query("cam") ?? "";
    const node = c.req.query("node") ?? "";
    // `t` (the live wall's "Recordings" link, a shared moment) picks the day it falls on.
    const t = reviewTime(c.req.query("t"));
    return page(c, "recordings", "Recordings", {
      date: t !== undefined ? localDate(t) : DATE.test(date) ? date : localDate(Date.now()),
      ...(CAM.test(cam) ? { cam } : {}),
      ...(t === undefined ? {} : { t }),
      ...(o.archive ? { archive: true } : {}),
      ...(o.archive && NODE.test(node) ? { node } : {}),
    });
  });
  app.get("/review", (c) => {
    const t = reviewTime(c.req.query("t"));
    return page(c, "review", "Review", {
      cams: parseCams(c.req.query("cams")),
      ...(t === undefined ? {} : { t }),
    });
  });
  app.get("/cameras", (c) => page(c, "cameras", "Cameras", {}));
  app.get("/assets/app.js", async (c) => {
    const js = await loadAsset(BUNDLE);
    if (!js) return c.json({ status: 0, error: "not built" }, 404);
    const cache = c.req.query("v") ? "public, max-age=31536000, immutable" : "no-cache";
    return assetResponse(c.req.raw, js, "text/javascript; charset=utf-8", cache);
  });
  return app;
}
