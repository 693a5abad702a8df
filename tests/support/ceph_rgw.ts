/**
 * A throwaway single-node Ceph cluster with a RADOS Gateway (real S3) for tests, from Debian's
 * packages (ceph-mon, ceph-osd, radosgw, ceph-common): one monitor, one memstore OSD and
 * radosgw, all on 127.0.0.1 and every file inside one temporary folder, started in ~2 s (see
 * shared/notes/ceph-rgw-facts.md). Daemons run in the foreground (`-f`) as children of the
 * test and are stopped by PID. `restartGateway()` kills radosgw with SIGKILL and can start it
 * again (the OSD keeps the objects).
 */
import { join } from "node:path";
import { freePort } from "../../tools/free_port.ts";

export interface CephRgw {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  dir: string;
  /** Kills radosgw (SIGKILL). */
  killGateway(): Promise<void>;
  /** Starts radosgw again (after killGateway) and waits until it answers. */
  startGateway(): Promise<void>;
  /** Stops every daemon by PID and removes the folder. */
  stop(): Promise<void>;
}

/** Whether the Ceph packages are installed (tests skip themselves otherwise). */
export function cephAvailable(): boolean {
  try {
    return Deno.statSync("/usr/bin/radosgw").isFile && Deno.statSync("/usr/bin/ceph-mon").isFile;
  } catch {
    return false;
  }
}

async function run(cmd: string, args: string[], cwd: string): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}${text}`);
  }
  return text;
}

function daemon(cmd: string, args: string[], dir: string, name: string): Deno.ChildProcess {
  const log = Deno.openSync(join(dir, `${name}.out`), { write: true, create: true, append: true });
  const child = new Deno.Command(cmd, {
    args,
    cwd: dir,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Drain stderr into a file (the daemons log into the folder) so it never blocks on a pipe.
  child.stderr.pipeTo(log.writable).catch(() => {});
  return child;
}

async function stopChild(child: Deno.ChildProcess | undefined, signal: Deno.Signal) {
  if (!child) return;
  try {
    child.kill(signal);
  } catch { /* gone */ }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, 5000);
  await child.status;
  clearTimeout(timer);
}

async function answers(url: string): Promise<boolean> {
  try {
    const r = await fetch(url);
    await r.body?.cancel();
    return r.status > 0;
  } catch {
    return false;
  }
}

async function until(fn: () => Promise<boolean>, what: string, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ceph_rgw: timed out waiting for ${what}`);
}

/** Starts mon + osd + radosgw in a new temporary folder and creates one S3 user. */
export async function startCephRgw(): Promise<CephRgw> {
  const dir = await Deno.makeTempDir({ prefix: "nvr-ceph-" });
  const monPort = await freePort();
  const rgwPort = await freePort();
  const msMin = 30_000 + Math.floor(Math.random() * 3000) * 10;
  const fsid = crypto.randomUUID();
  const osdUuid = crypto.randomUUID();
  const conf = join(dir, "ceph.conf");
  const keyring = join(dir, "keyring");
  await Deno.mkdir(join(dir, "osd"));
  await Deno.mkdir(join(dir, "mon"));
  await Deno.mkdir(join(dir, "run"));
  await Deno.writeTextFile(
    conf,
    `[global]
fsid = ${fsid}
mon host = v2:127.0.0.1:${monPort}
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind ipv6 = false
ms bind port min = ${msMin}
ms bind port max = ${msMin + 29}
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = ${keyring}
run dir = ${dir}/run
crash dir = ${dir}/run
log file = ${dir}/$name.log
mon cluster log file = ${dir}/cluster.log
mon data = ${dir}/mon/$id
osd data = ${dir}/osd/$id
osd objectstore = memstore
memstore device bytes = 2147483648
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
paxos propose interval = 0.01
mon max pg per osd = 500
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw gc obj min wait = 5
rgw gc processor period = 5
rgw data = ${dir}/rgw
`,
  );
  const auth = (name: string, caps: string[]) =>
    run("ceph-authtool", [keyring, "--gen-key", "-n", name, ...caps], dir);
  await run("ceph-authtool", ["--create-keyring", keyring], dir);
  await auth("mon.", ["--cap", "mon", "allow *"]);
  await auth("client.admin", [
    "--cap",
    "mon",
    "allow *",
    "--cap",
    "osd",
    "allow *",
    "--cap",
    "mgr",
    "allow *",
  ]);
  await auth("osd.0", ["--cap", "mon", "allow profile osd", "--cap", "osd", "allow *"]);
  await auth("client.rgw", ["--cap", "mon", "allow rw", "--cap", "osd", "allow rwx"]);
  await run("monmaptool", [
    "--create",
    "--fsid",
    fsid,
    "--addv",
    "a",
    `[v2:127.0.0.1:${monPort}]`,
    join(dir, "monmap"),
  ], dir);
  await run("ceph-mon", [
    "-c",
    conf,
    "--mkfs",
    "-i",
    "a",
    "--monmap",
    join(dir, "monmap"),
    "--keyring",
    keyring,
  ], dir);
  const children: Record<string, Deno.ChildProcess | undefined> = {};
  const stop = async () => {
    await stopChild(children.rgw, "SIGTERM");
    await stopChild(children.osd, "SIGTERM");
    await stopChild(children.mon, "SIGTERM");
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  const endpoint = `http://127.0.0.1:${rgwPort}`;
  const startGateway = async () => {
    children.rgw = daemon("radosgw", ["-c", conf, "-f", "-n", "client.rgw"], dir, "rgw");
    await until(() => answers(endpoint), "radosgw to answer");
  };
  try {
    children.mon = daemon("ceph-mon", ["-c", conf, "-f", "-i", "a"], dir, "mon");
    const ceph = (...args: string[]) =>
      run("ceph", ["-c", conf, "--connect-timeout", "20", ...args], dir);
    await ceph("osd", "new", osdUuid, "0");
    await Deno.mkdir(join(dir, "osd", "0"));
    await run("ceph-osd", ["-c", conf, "--mkfs", "-i", "0", "--osd-uuid", osdUuid], dir);
    children.osd = daemon("ceph-osd", ["-c", conf, "-f", "-i", "0"], dir, "osd");
    await startGateway();
    const accessKeyId = "NVRTEST" + crypto.randomUUID().replaceAll("-", "").slice(0, 13)
      .toUpperCase();
    const secretAccessKey = crypto.randomUUID().replaceAll("-", "") + "x";
    await run("radosgw-admin", [
      "-c",
      conf,
      "-n",
      "client.admin",
      "user",
      "create",
      "--uid=nvr",
      "--display-name=nvr",
      `--access-key=${accessKeyId}`,
      `--secret=${secretAccessKey}`,
    ], dir);
    return {
      endpoint,
      accessKeyId,
      secretAccessKey,
      dir,
      killGateway: () => stopChild(children.rgw, "SIGKILL"),
      startGateway,
      stop,
    };
  } catch (err) {
    const logs = await Array.fromAsync(Deno.readDir(dir)).then((es) =>
      es.filter((e) => e.name.endsWith(".out")).map((e) => e.name)
    ).catch(() => []);
    let tail = "";
    for (const l of logs) {
      tail += `\n--- ${l}\n` +
        (await Deno.readTextFile(join(dir, l)).catch(() => "")).slice(-1500);
    }
    await stop();
    throw new Error(`${(err as Error).message}${tail}`);
  }
}
