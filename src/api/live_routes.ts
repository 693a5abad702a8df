/**
 * GET /{gid}/{seq}/live.ws: the camera's low-latency live stream over a WebSocket
 * (recorder/live/), for Media Source Extensions in the browser. Same access rules as the
 * other media (the access-control middleware runs first); the request guard treats the
 * upgrade like a write, so another site's page cannot open it with the user's cookie
 * (its `Origin` must be this host's).
 *
 * `?stream=main` (default) | `sub` | `h264`: the camera's main stream; its sub-stream (wall
 * tiles; the main stream when it has none); an H.264 transcode of an H.265 camera (the main
 * stream when it is H.264 already). The init message says which one is sent.
 *
 * Messages, server to browser:
 * - text `{"type":"init","codec":"avc1.64001f","mime":"video/mp4; codecs=\"avc1.64001f\"",
 *   "stream":"main"}`,
 *   then a binary message with the init segment (ftyp + moov). Again whenever the camera's
 *   child restarts (the player starts a new SourceBuffer).
 * - text `{"type":"key","wall":<epoch ms>,"dts":<s>}` before each keyframe fragment: when
 *   the server received it, and its decode time in seconds (for the frame's wall time).
 * - binary: one fragment (moof + mdat, one frame), from a keyframe on; a viewer that falls
 *   behind skips to the next keyframe.
 * Closed with 1001 when the camera stops, 1008 when the viewer is too slow, 1011 when the
 * stream stalled (the player falls back to HLS).
 */
import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import { z } from "zod";
import type { LiveMessage } from "../recorder/live/hub.ts";
import type { ResolvedStream } from "../recorder/live/streams.ts";
import { LIVE_VARIANTS, type LiveVariant } from "../recorder/live/tap.ts";
import { ID_RE } from "../storage/layout.ts";
import { readQuery } from "./http_errors.ts";

export interface LiveRoutesDeps {
  resolve(gid: number, seq: number, wanted: LiveVariant): ResolvedStream | undefined;
}

const StreamQuery = z.object({
  stream: z.enum(LIVE_VARIANTS, { error: `must be one of ${LIVE_VARIANTS.join(", ")}` })
    .default("main"),
});

/** The variant a request asks for (400 with the field's error otherwise). */
const wantedStream = (q: Record<string, string>): LiveVariant => readQuery(StreamQuery, q).stream;

/** Why the hub closed a viewer, as a WebSocket close code (1001: the camera stopped). */
const CLOSE_CODES: Record<string, number> = {
  "viewer too slow": 1008,
  "live stream stalled": 1011,
};

/** The JSON text message before a binary one, if any (pure). */
export function liveText(
  m: LiveMessage,
  timescale: number,
  stream: LiveVariant = "main",
): string | undefined {
  if (m.kind === "init") {
    const codec = m.init.codec ?? "";
    return JSON.stringify({ type: "init", codec, mime: `video/mp4; codecs="${codec}"`, stream });
  }
  if (!m.fragment.key) return undefined;
  return JSON.stringify({ type: "key", wall: m.wallMs, dts: m.fragment.decodeTime / timescale });
}

export function liveRoutes(deps: LiveRoutesDeps) {
  const app = new Hono();
  app.get(
    "/:gid/:seq/live.ws",
    async (c, next) => {
      const { gid, seq } = c.req.param();
      const wanted = wantedStream(c.req.query());
      const live = ID_RE.test(gid) && ID_RE.test(seq)
        ? deps.resolve(Number(gid), Number(seq), wanted)
        : undefined;
      if (!live) return c.json({ status: 0, error: "not found" }, 404);
      if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
        return c.json({ status: 0, error: "a WebSocket upgrade is required" }, 426);
      }
      await next();
    },
    upgradeWebSocket((c) => {
      const { gid, seq } = c.req.param();
      const wanted = wantedStream(c.req.query());
      let leave: (() => void) | undefined;
      return {
        onOpen(_evt, ws) {
          const socket = ws.raw as WebSocket;
          socket.binaryType = "arraybuffer";
          const live = deps.resolve(Number(gid), Number(seq), wanted);
          if (!live) return ws.close(1001, "camera stopped");
          const { hub, stream } = live;
          let timescale = hub.init?.timescale ?? 90_000;
          leave = hub.subscribe({
            send(m) {
              if (socket.readyState !== WebSocket.OPEN) return;
              if (m.kind === "init") timescale = m.init.timescale;
              const text = liveText(m, timescale, stream);
              if (text) socket.send(text);
              socket.send(m.kind === "init" ? m.init.data : m.fragment.data);
            },
            queuedBytes: () => socket.bufferedAmount,
            close(reason) {
              if (socket.readyState === WebSocket.OPEN) {
                socket.close(CLOSE_CODES[reason] ?? 1001, reason);
              }
            },
          });
        },
        onClose() {
          leave?.();
        },
        onError() {
          leave?.();
        },
      };
    }),
  );
  return app;
}
