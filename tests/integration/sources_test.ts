/** Cameras unlike our own: H.265, an audio track, digest auth; and a controller at boot. */
import { assert, assertEquals } from "../support/assert.ts";
import {
  closedPlaylist,
  freePort,
  Nvr,
  playlistSegments,
  probe,
  RtspServer,
  waitFor,
} from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";

/** Codecs of a recording's first segment, e.g. "h264+aac" (video only: "h264"). */
async function recordedCodec(nvr: Nvr, gid: number, seq: number): Promise<string> {
  await waitFor(
    async () => (await nvr.api("GET", `/api/camera/seq/${seq}/gid/${gid}`)).json.segments >= 2,
    `camera ${gid}/${seq} to record`,
    30_000,
  );
  const off = await nvr.api("PUT", "/api/camera/record/status", { seq, gid, isRec: 0 });
  await closedPlaylist(off.json.record_url);
  const segments = await playlistSegments(off.json.record_url);
  assert(segments.length >= 1);
  const last = segments.at(-1)!;
  const p = await probe(last);
  // The MP4 export of the last segment has the same tracks (no re-encoding).
  const [startMs, durationMs] = last.split("/").pop()!.replace(".ts", "").split("_").map(Number);
  const mp4 = await fetch(
    `${nvr.base}/api/export/gid/${gid}/seq/${seq}/span.mp4?from=${startMs}&to=${
      startMs + durationMs
    }`,
  );
  assertEquals(
    mp4.status,
    200,
    `export of ${gid}/${seq}: ${mp4.status === 200 ? "" : await mp4.text()}`,
  );
  const file = await Deno.makeTempFile({ suffix: ".mp4" });
  await Deno.writeFile(file, new Uint8Array(await mp4.arrayBuffer()));
  const m = await probe(file);
  await Deno.remove(file);
  assertEquals([m.codec, m.audio], [p.codec, p.audio], "MP4 export keeps the tracks");
  return p.audio ? `${p.codec}+${p.audio}@${p.sampleRate}` : p.codec;
}

Deno.test("H.265, audio (AAC kept, G.711 as AAC) and digest-auth cameras record; passwords never leak", async () => {
  const credentials = "admin:s3cr!t%20pw";
  const rc = await startRecording({
    rtsp: { gop: 25, user: "admin", password: "s3cr!t pw", digest: true },
    cameras: ["h264", "h265", "h264aac", "h264pcmu"].map((mount, i) => ({
      seq: i + 1,
      gid: 4,
      name: mount,
      mount,
      credentials,
    })),
    segments: 0, // recordedCodec waits for each
  });
  const { nvr, rtsp } = rc;
  try {
    // The cameras record side by side: checked two at a time (two exports run at once).
    const codecs: string[] = [];
    for (const pair of [[1, 2], [3, 4]]) {
      codecs.push(...await Promise.all(pair.map((seq) => recordedCodec(nvr, 4, seq))));
    }
    assertEquals(codecs, ["h264", "hevc", "h264+aac@44100", "h264+aac@8000"]);
    const audio = (seq: number) => nvr.api("GET", `/api/camera/seq/${seq}/gid/4`);
    assertEquals(
      await Promise.all([1, 2, 3, 4].map(async (s) => (await audio(s)).json.audio)),
      [null, null, "aac", "pcmu"],
    );
    const listing = JSON.stringify((await nvr.api("GET", "/api/camera")).json);
    assert(!listing.includes("s3cr"), "password in API");
    assert(!nvr.logs.join("\n").includes("s3cr"), "password in logs");

    // Wrong password: the camera fails with a reason, and the reason has no password.
    await nvr.api("POST", "/api/camera", {
      seq: 9,
      gid: 4,
      name: "wrong",
      iaddr: rtsp.url("h264", "admin:nope"),
      protocol: "rtsp",
      isRec: 0,
    });
    const failed = await waitFor(async () => {
      const c = (await nvr.api("GET", "/api/camera/seq/9/gid/4")).json;
      return c.state === "failed" && c.last_error ? c : undefined;
    }, "wrong password to fail");
    assert(/unauthorized|401|auth/i.test(failed.last_error), failed.last_error);
    assert(!failed.last_error.includes("nope"));
  } finally {
    await rc.stop();
  }
});

Deno.test("boot: cameras come from the controller; garbage from it falls back to the registry", async () => {
  const rtsp = await new RtspServer({ gop: 25 }).start();
  let answer: unknown = [
    {
      seq: 1,
      gid: 2,
      name: "1번 카메라",
      iaddr: rtsp.url("h264"),
      protocol: "rtmp",
      isRec: 0,
      extra: "x",
    },
    { seq: 2, gid: 2, name: "bad", iaddr: "ftp://x", protocol: "rtsp", isRec: 0 },
  ];
  const controller = Deno.serve(
    { hostname: "127.0.0.1", port: freePort(), onListen: () => {} },
    (req) =>
      new URL(req.url).pathname === "/api/boot/start"
        ? new Response(typeof answer === "string" ? answer : JSON.stringify(answer))
        : new Response("no", { status: 404 }),
  );
  const controllerUrl = `http://127.0.0.1:${controller.addr.port}`;
  let nvr = await new Nvr({ segmentSeconds: 1, controllerUrl }).start();
  try {
    const cams = (await nvr.api("GET", "/api/camera")).json;
    assertEquals(
      cams.map((c: { gid: number; seq: number }) => [c.gid, c.seq]),
      [[2, 1]],
      nvr.logs.join("\n"),
    );
    assert(nvr.logs.some((l) => l.includes("extra fields")), "extra field logged");
    assert(nvr.logs.some((l) => l.includes("invalid; skipped")), "invalid entry logged");
    await waitFor(async () => (await nvr.api("GET", "/api/boot/end")).json === 1, "boot end");

    await nvr.stop();
    answer = "<html>oops</html>";
    nvr = await new Nvr({
      segmentSeconds: 1,
      controllerUrl,
      mediaRoot: nvr.mediaRoot,
      dataDir: nvr.dataDir,
    })
      .start();
    assert(nvr.logs.some((l) => l.includes("using the local registry")), "fallback logged");
    assertEquals((await nvr.api("GET", "/api/camera")).json.length, 1, "local registry used");
  } finally {
    await nvr.stop();
    await controller.shutdown();
    await rtsp.stop();
  }
});

Deno.test("a camera that announces audio but never sends it still records its video", async () => {
  const rc = await startRecording({
    rtsp: { gop: 25 },
    cameras: [{ seq: 1, gid: 5, name: "mute", mount: "h264mute" }],
    segments: 0,
  });
  const { nvr } = rc;
  try {
    // Audio is seen in the caps and tried; the muxer stalls without it, the watchdog ends
    // the run, and the camera goes on with video only.
    const cam = await rc.segments(3, rc.camera, 45_000);
    assertEquals([cam.state, cam.audio], ["recording", null]);
    assert(
      nvr.logs.some((l) => l.includes("audio announced but none arrived")),
      nvr.logs.slice(-10).join("\n"),
    );
    assertEquals(await recordedCodec(nvr, 5, 1), "h264");
  } finally {
    await rc.stop();
  }
});
