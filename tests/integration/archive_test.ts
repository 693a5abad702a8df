/**
 * The archive tier against a real S3 server (Ceph's RADOS Gateway, tests/support/ceph_rgw.ts)
 * and the real recorder with the start task's permissions: bundles and manifests appear,
 * archived segments leave the disk after `--local-max-age` and still play from the same URLs
 * (bytes equal to the archived ones, ffprobe decodes the day), radosgw killed -9 and back:
 * the backlog drains and nothing is indexed twice; wrong credentials: a health warning.
 */
import { join } from "node:path";
import { AwsClient } from "aws4fetch";
import { assert, assertEquals } from "../support/assert.ts";
import { cephAvailable, startCephRgw } from "../support/ceph_rgw.ts";
import { decodeFrames, Nvr, waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";
import { parseArchiveIndex } from "../../src/storage/archive_index.ts";
import { parsePlaylist } from "../../src/storage/playlist.ts";

const BUCKET = "nvr-archive";
const PREFIX = "fleet";
const NODE = "edge-1";

Deno.test({
  name:
    "archive: bundles + manifests in RGW; archive-only segments play; rgw kill -9 drains once; a second recorder plays it",
  ignore: !cephAvailable(),
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const rgw = await startCephRgw();
  const s3 = new AwsClient({
    accessKeyId: rgw.accessKeyId,
    secretAccessKey: rgw.secretAccessKey,
    service: "s3",
    region: "us-east-1",
  });
  const object = async (key: string, range?: string) => {
    const r = await s3.fetch(`${rgw.endpoint}/${BUCKET}/${key}`, {
      headers: range ? { range } : {},
    });
    if (!r.ok) throw new Error(`GET ${key}: ${r.status} ${await r.text()}`);
    return new Uint8Array(await r.arrayBuffer());
  };
  const listKeys = async (prefix: string) => {
    const r = await s3.fetch(`${rgw.endpoint}/${BUCKET}?list-type=2&prefix=${prefix}`);
    const xml = await r.text();
    return [...xml.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]);
  };
  const env = {
    NVR_ARCHIVE_ACCESS_KEY_ID: rgw.accessKeyId,
    NVR_ARCHIVE_SECRET_ACCESS_KEY: rgw.secretAccessKey,
  };
  const archiveArgs = [
    `--archive-url=s3://${BUCKET}/${PREFIX}`,
    `--archive-endpoint=${rgw.endpoint}`,
    `--node-id=${NODE}`,
    "--archive-bundle-seconds=3",
    "--retention-interval-seconds=1",
    "--archive-presign=on",
  ];
  let rc: Awaited<ReturnType<typeof startRecording>> | undefined;
  try {
    assertEquals((await s3.fetch(`${rgw.endpoint}/${BUCKET}`, { method: "PUT" })).status, 200);
    rc = await startRecording({
      rtsp: false,
      cameras: [{ iaddr: "test://ball", protocol: "test" }],
      nvr: { env, extraArgs: [...archiveArgs, "--local-max-age=4s"] },
      segments: 2,
    });
    const nvr = rc.nvr;
    const metric = async (name: string) => {
      const text = await (await fetch(`${nvr.base}/metrics`)).text();
      return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
    };

    // Bundles and a manifest appear under {prefix}/{node}/{gid}/{seq}/{date}/{time}/.
    const manifestKey = await waitFor(
      async () => {
        const keys = await listKeys(`${PREFIX}/${NODE}/1/1/`);
        return keys.some((k) => k.endsWith(".ts")) && keys.find((k) => k.endsWith("/index.m3u8"));
      },
      "a bundle and a manifest",
      30_000,
      500,
    );
    const manifest = new TextDecoder().decode(await object(manifestKey));
    assert(/#EXT-X-BYTERANGE:\d+@0\n\d{13}\.ts/.test(manifest), manifest.slice(0, 400));
    assert(manifest.includes("#EXT-X-PROGRAM-DATE-TIME:"), "wall-clock times");
    const [, , , , date, time] = manifestKey.split("/");
    const session = join(nvr.mediaRoot, "1", "1", date, time);

    // Local copies of archived segments go after 4 s; the playlist still lists them.
    const evicted = () =>
      Deno.readTextFile(join(session, "index.m3u8")).then((t) =>
        parsePlaylist(t).segments.filter((s) => {
          try {
            Deno.statSync(join(session, s.uri));
            return false;
          } catch {
            return true;
          }
        })
      );
    await waitFor(async () => (await evicted()).length >= 2, "archived segments evicted", 30_000);

    // The store goes away (kill -9) for a while: recording goes on, health warns, backlog grows.
    await rgw.killGateway();
    const during = (await rc.status()).segments;
    const warning = await waitFor(
      async () => {
        const h = (await nvr.api("GET", "/api/health")).json;
        return h.warnings?.find((w: string) => w.startsWith("archive: uploads failing"));
      },
      "an archive warning in health",
      30_000,
      500,
    );
    assert(warning.includes("backlog"), warning);
    await waitFor(async () => (await metric("nvr_archive_backlog_bytes")) > 0, "a backlog", 20_000);
    assert((await metric("nvr_archive_errors_total")) > 0);
    await waitFor(async () => (await rc!.status()).segments >= during + 4, "recording goes on");
    assertEquals((await rc.status()).state, "recording");
    await rgw.startGateway();

    // Recording stops: the session closes, everything drains, the manifest becomes final.
    const off = await nvr.api("PUT", "/api/camera/record/status", { seq: 1, gid: 1, isRec: 0 });
    assertEquals(off.status, 200);
    const recordUrl = off.json.record_url as string;
    await waitFor(
      async () =>
        (await object(manifestKey).then((b) => new TextDecoder().decode(b)))
          .includes("#EXT-X-ENDLIST"),
      "the final manifest",
      60_000,
      500,
    );
    assertEquals(await metric("nvr_archive_backlog_bytes"), 0);
    assert((await metric("nvr_archive_uploaded_bytes_total")) > 0);
    const health = (await nvr.api("GET", "/api/health")).json;
    assertEquals(health.warnings.filter((w: string) => w.startsWith("archive")), []);

    // Every segment of the session is indexed exactly once, and the manifest lists each once.
    const listed = parsePlaylist(await (await fetch(recordUrl)).text()).segments;
    // (The index line follows the final manifest by a moment: the `{"ended":true}` mark ends it.)
    const indexText = await waitFor(async () => {
      const t = await Deno.readTextFile(join(session, "archived.jsonl"));
      return t.includes('{"ended":true}') && t;
    }, "the index's end mark");
    const index = parseArchiveIndex(indexText);
    const names = index.flatMap((b) => b.segments.map((s) => s.name));
    assertEquals(names.length, new Set(names).size, "a segment indexed twice");
    assertEquals([...names].sort(), listed.map((s) => s.uri).sort());
    const finalManifest = new TextDecoder().decode(await object(manifestKey));
    assertEquals(finalManifest.match(/#EXTINF:/g)?.length, listed.length);
    for (const b of index) assert((await listKeys(b.key)).includes(b.key), b.key);

    // Each segment served by the recorder (local or from the archive) equals its archived bytes.
    const gone = new Set((await evicted()).map((s) => s.uri));
    assert(gone.size >= 2, `${gone.size} archive-only segments`);
    const where = new Map(index.flatMap((b) => b.segments.map((s) => [s.name, { b, s }])));
    for (const seg of listed) {
      const served = await fetch(new URL(seg.uri, recordUrl));
      assertEquals(served.status, 200, seg.uri);
      const bytes = new Uint8Array(await served.arrayBuffer());
      const { b, s } = where.get(seg.uri)!;
      const archived = await object(b.key, `bytes=${s.offset}-${s.offset + s.bytes - 1}`);
      assertEquals(bytes.length, archived.length, seg.uri);
      assert(bytes.every((x, i) => x === archived[i]), `${seg.uri}: bytes differ`);
    }
    // A byte range of an archive-only segment.
    const first = [...gone][0];
    const part = await fetch(new URL(first, recordUrl), { headers: { range: "bytes=188-375" } });
    assertEquals([part.status, (await part.arrayBuffer()).byteLength], [206, 188]);
    // The day playlist plays: ffprobe decodes every frame through the recorder's URLs.
    const day = (await nvr.api("GET", `/api/recordings/gid/1/seq/1/date/${date}`)).json;
    // The timeline's API says which stretches are archive-only.
    const wheres = day.sessions.flatMap((s: { storage: { where: string }[] }) => s.storage);
    assertEquals(wheres[0].where, "archive", JSON.stringify(wheres));
    const dayFrames = await decodeFrames(day.day_url);
    assert(dayFrames > 25, `the day decodes (${dayFrames} frames)`);
    // An MP4 export across local and archive-only segments holds the whole session.
    // (The day goes on growing while the camera records: compare with the same span's playlist.)
    const last = listed[listed.length - 1];
    const span = `from=${listed[0].startMs}&to=${last.startMs + last.durationMs}`;
    // --archive-presign: the span playlist lists archive-only segments as byte ranges of their
    // bundles (/archive/…), which redirect to the store: the same bytes as the segment's URL.
    const spanText = await (await fetch(`${nvr.base}/api/export/gid/1/seq/1/span.m3u8?${span}`))
      .text();
    const ranged = [...spanText.matchAll(/#EXT-X-BYTERANGE:(\d+)@(\d+)\n(\/archive\/\S+)/g)];
    assert(ranged.length >= 1, "archive-only entries as byte ranges");
    const [, len, at, uri] = ranged[0];
    const viaStore = await fetch(`${nvr.base}${uri}`, {
      headers: { range: `bytes=${at}-${Number(at) + Number(len) - 1}` },
    });
    const storeBytes = new Uint8Array(await viaStore.arrayBuffer());
    assertEquals([viaStore.status, viaStore.redirected, storeBytes.length], [
      206,
      true,
      Number(len),
    ]);
    const entry = index.flatMap((b) => b.segments.map((x) => ({ b, x }))).find(({ b, x }) =>
      b.key.endsWith(uri.slice(uri.lastIndexOf("/"))) && x.offset === Number(at)
    )!;
    const viaRecorder = new Uint8Array(
      await (await fetch(new URL(entry.x.name, recordUrl)))
        .arrayBuffer(),
    );
    assert(storeBytes.every((x, i) => x === viaRecorder[i]), "presigned range differs");
    const spanFrames = await decodeFrames(`${nvr.base}/api/export/gid/1/seq/1/span.m3u8?${span}`);
    const mp4 = await fetch(`${nvr.base}/api/export/gid/1/seq/1/span.mp4?${span}`);
    assertEquals(mp4.status, 200);
    const mp4Path = await Deno.makeTempFile({ suffix: ".mp4" });
    await Deno.writeFile(mp4Path, new Uint8Array(await mp4.arrayBuffer()));
    const mp4Frames = await decodeFrames(mp4Path);
    await Deno.remove(mp4Path);
    assert(Math.abs(mp4Frames - spanFrames) <= 5, `export ${mp4Frames} frames, span ${spanFrames}`);

    // A second recorder on the same bucket (no cameras) lists the first and plays its archive.
    const central = await new Nvr({
      env,
      extraArgs: archiveArgs.map((a) => a.startsWith("--node-id=") ? "--node-id=central" : a),
    }).start();
    try {
      const fleet = (await central.api("GET", "/api/archive/nodes")).json;
      assertEquals(fleet.node, "central");
      assertEquals(fleet.nodes, [{ node: NODE, cameras: [{ gid: 1, seq: 1 }] }]);
      const days = (await central.api("GET", `/api/archive/nodes/${NODE}/gid/1/seq/1/days`)).json;
      assertEquals(days.days, [date]);
      const remoteDay = (await central.api(
        "GET",
        `/api/archive/nodes/${NODE}/gid/1/seq/1/date/${date}`,
      )).json;
      const sessions = remoteDay.sessions;
      assertEquals(sessions.map((x: { time: string }) => x.time), [time]);
      assertEquals(sessions[0].storage[0].where, "archive");
      const frames = await decodeFrames(`${central.base}${sessions[0].manifest_url}`);
      assert(Math.abs(frames - dayFrames) <= 5, `central plays ${frames} frames, day ${dayFrames}`);
      // --archive-presign: a bundle GET is a 302 to the store; the URL gives the same bytes.
      const b0 = index[0];
      const bundleUrl = `${central.base}/archive/${b0.key.slice(PREFIX.length + 1)}`;
      const redirect = await fetch(bundleUrl, { redirect: "manual" });
      await redirect.body?.cancel();
      assertEquals(redirect.status, 302);
      const direct = await fetch(redirect.headers.get("location")!, {
        headers: { range: "bytes=0-187" },
      });
      const head188 = new Uint8Array(await direct.arrayBuffer());
      assertEquals([direct.status, head188.length], [206, 188]);
      const stored = await object(b0.key, "bytes=0-187");
      assert(head188.every((x, i) => x === stored[i]), "presigned bytes differ");
      // The whole archived day as one playlist (what the UI's node switch plays).
      const joined = await decodeFrames(`${central.base}${remoteDay.day_url}`);
      assert(Math.abs(joined - frames) <= 5, `central's day plays ${joined} frames`);
    } finally {
      await central.stop();
    }

    // Wrong credentials: recording would go on; health says why the archive fails.
    await rc.restart({
      env: { ...env, NVR_ARCHIVE_SECRET_ACCESS_KEY: "wrong-secret-wrong-secret-wrong" },
    });
    const refused = await waitFor(
      async () => {
        const h = (await rc!.nvr.api("GET", "/api/health")).json;
        return h.warnings?.find((w: string) => w.startsWith("archive:"));
      },
      "a credentials warning",
      30_000,
      500,
    );
    assert(refused.includes("refused the credentials"), refused);
    assert(!refused.includes("wrong-secret"), "the secret is never shown");
  } finally {
    await rc?.stop().catch((err) => console.error(err));
    await rgw.stop();
  }
});
