/**
 * Archive drain: how fast the uploader empties a backlog into a real S3 server (a throwaway
 * Ceph RGW, tests/support/ceph_rgw.ts) and what it costs in CPU, as after an outage.
 * A backlog of `--minutes` of one camera at `--mbps` (1 s segments of filler MPEG-TS packets:
 * the uploader never looks inside) is archived by one Archiver in this process, in 60 s bundles.
 * Prints Markdown for bench/RESULTS.md. Run: deno run -A bench/archive_drain.ts [--minutes=10]
 * [--mbps=4]
 */
import { parseArgs } from "node:util";
import { cpuUsage } from "node:process";
import { AwsClient } from "aws4fetch";
import { startCephRgw } from "../tests/support/ceph_rgw.ts";
import { systemClock } from "../src/clock.ts";
import { createLogger } from "../src/log.ts";
import { Archiver } from "../src/archive/uploader.ts";
import { S3Store } from "../src/archive/store.ts";
import { Catalog } from "../src/storage/catalog.ts";
import { fillerSession } from "./filler_session.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { minutes: { type: "string", default: "10" }, mbps: { type: "string", default: "4" } },
});
const minutes = Number(values.minutes), mbps = Number(values.mbps);

const root = await Deno.makeTempDir({ prefix: "nvr-drain-" });
const rgw = await startCephRgw();
try {
  // The backlog: one closed session of minutes × 60 one-second segments.
  const start = Date.now() - minutes * 60_000 - 60_000;
  await fillerSession({
    mediaRoot: root,
    scratch: root,
    seq: 1,
    start,
    seconds: minutes * 60,
    mbps,
  });
  const catalog = new Catalog(root);
  await catalog.rebuild();

  const creds = { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey };
  const s3 = new AwsClient({ ...creds, service: "s3", region: "us-east-1" });
  await (await s3.fetch(`${rgw.endpoint}/drain`, { method: "PUT" })).body?.cancel();
  const store = new S3Store({
    endpoint: rgw.endpoint,
    bucket: "drain",
    region: "us-east-1",
    credentials: () => creds,
  });
  const archiver = new Archiver({
    mediaRoot: root,
    catalog,
    clock: systemClock,
    log: createLogger("json", {}, () => {}),
    store,
    prefix: "bench",
    node: "n1",
    bundleSeconds: 60,
  });
  const cpu0 = cpuUsage();
  const t0 = performance.now();
  const ok = await archiver.pass();
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuUsage(cpu0);
  const st = archiver.status;
  const mib = st.uploadedBytes / 2 ** 20;
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(
    `| backlog | ${minutes} min at ${mbps} Mbit/s (${
      mib.toFixed(0)
    } MiB, ${st.uploadedObjects} bundles) |`,
  );
  console.log(`| pass ok, backlog after | ${ok}, ${st.backlogBytes} bytes |`);
  console.log(
    `| drain time | ${wall.toFixed(1)} s: ${(mib / wall).toFixed(1)} MiB/s, ${
      ((minutes * 60) / wall).toFixed(0)
    }x real time |`,
  );
  console.log(
    `| uploader CPU (this process, user+system) | ${cpuS.toFixed(1)} s: ${
      (cpuS / (minutes / 60)).toFixed(1)
    } s per camera-hour at ${mbps} Mbit/s |`,
  );
} finally {
  await rgw.stop();
  await Deno.remove(root, { recursive: true });
}
