/**
 * A real MQTT broker for tests: Debian's `mosquitto` on a free loopback port, with a
 * password file made by `mosquitto_passwd`, no persistence (a restart forgets retained
 * messages, as a broker that lost its store would); with `tls`, an mqtts listener whose
 * certificate (for `localhost`) is signed by a CA made here. `MqttWatch` is a test client (the
 * `mqtt` package) that records every message it receives.
 */
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { freePort } from "../../tools/free_port.ts";
import { killChild, waitFor } from "./harness.ts";

export const MQTT_USER = "nvr";
export const MQTT_PASSWORD = "br0ker-pass";

export class Mosquitto {
  readonly port: number;
  readonly dir = Deno.makeTempDirSync({ prefix: "mosquitto-" });
  readonly tls: boolean;
  #proc?: Deno.ChildProcess;

  constructor(o: { port?: number; tls?: boolean } = {}) {
    this.port = o.port ?? freePort();
    this.tls = o.tls ?? false;
  }

  /** `mqtt://user:password@127.0.0.1:port` or `mqtts://…@localhost:port` (for the recorder). */
  get url(): string {
    const auth = `${MQTT_USER}:${MQTT_PASSWORD}`;
    return this.tls
      ? `mqtts://${auth}@localhost:${this.port}`
      : `mqtt://${auth}@127.0.0.1:${this.port}`;
  }

  /** The CA that signed the TLS listener's certificate (PEM file). */
  get caFile(): string {
    return join(this.dir, "ca.pem");
  }

  /** A CA and a certificate for localhost signed by it (openssl). */
  async #makeCertificates(): Promise<string[]> {
    const d = this.dir;
    const run = async (args: string[]) => {
      const out = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" })
        .output();
      if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    };
    const key = (name: string) => ["-newkey", "rsa:2048", "-nodes", "-keyout", join(d, name)];
    await run([
      "req",
      "-x509",
      ...key("ca.key"),
      "-out",
      this.caFile,
      "-days",
      "2",
      "-subj",
      "/CN=nvr test CA",
    ]);
    await run([
      "req",
      ...key("server.key"),
      "-out",
      join(d, "server.csr"),
      "-subj",
      "/CN=localhost",
    ]);
    Deno.writeTextFileSync(join(d, "ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    await run([
      "x509",
      "-req",
      "-in",
      join(d, "server.csr"),
      "-CA",
      this.caFile,
      "-CAkey",
      join(d, "ca.key"),
      "-CAcreateserial",
      "-out",
      join(d, "server.pem"),
      "-days",
      "2",
      "-extfile",
      join(d, "ext.cnf"),
    ]);
    return [`certfile ${join(d, "server.pem")}`, `keyfile ${join(d, "server.key")}`];
  }

  async start(): Promise<this> {
    const passwd = join(this.dir, "passwd");
    const made = await new Deno.Command("mosquitto_passwd", {
      args: ["-c", "-b", passwd, MQTT_USER, MQTT_PASSWORD],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!made.success) throw new Error(new TextDecoder().decode(made.stderr));
    const conf = join(this.dir, "mosquitto.conf");
    Deno.writeTextFileSync(
      conf,
      [
        `listener ${this.port} 127.0.0.1`,
        "allow_anonymous false",
        `password_file ${passwd}`,
        ...(this.tls ? await this.#makeCertificates() : []),
        "persistence false",
        "user root", // started as root, it would switch to `mosquitto` and not read the file
        "log_dest none",
        "",
      ].join("\n"),
    );
    this.#proc = new Deno.Command("mosquitto", {
      args: ["-c", conf],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await waitFor(
      async () => {
        try {
          (await Deno.connect({ hostname: "127.0.0.1", port: this.port })).close();
          return true;
        } catch {
          return false;
        }
      },
      "mosquitto to listen",
      10_000,
      50,
    );
    return this;
  }

  /** SIGKILL: the broker dies at once (retained messages go with it). */
  async stop(): Promise<void> {
    await killChild(this.#proc);
    this.#proc = undefined;
  }
}

export interface Message {
  topic: string;
  payload: string;
  retain: boolean;
  /** Date.now() when it arrived. */
  at: number;
}

/** A subscriber that keeps every message, and the latest per topic. */
export class MqttWatch {
  readonly messages: Message[] = [];
  readonly latest = new Map<string, Message>();
  #client: MqttClient;

  private constructor(client: MqttClient) {
    this.#client = client;
    client.on("message", (topic, payload, packet) => {
      const m = { topic, payload: payload.toString(), retain: packet.retain, at: Date.now() };
      this.messages.push(m);
      this.latest.set(topic, m);
    });
    client.on("error", () => {});
  }

  static async connect(port: number, filters: string[]): Promise<MqttWatch> {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
      username: MQTT_USER,
      password: MQTT_PASSWORD,
      reconnectPeriod: 0,
      clientId: `test-${crypto.randomUUID().slice(0, 8)}`,
    });
    const watch = new MqttWatch(client);
    await client.subscribeAsync(filters, { qos: 1 });
    return watch;
  }

  publish(topic: string, payload: string, retain = false): Promise<unknown> {
    return this.#client.publishAsync(topic, payload, { qos: 1, retain });
  }

  /** Waits for the latest message on `topic` to satisfy `ok`; returns it. */
  until(topic: string, ok: (m: Message) => boolean, what: string, timeoutMs = 15_000) {
    return waitFor(
      () => {
        const m = this.latest.get(topic);
        return m && ok(m) ? m : undefined;
      },
      `${what} (${topic}: ${this.latest.get(topic)?.payload ?? "nothing"})`,
      timeoutMs,
      25,
    );
  }

  async close(): Promise<void> {
    await this.#client.endAsync(true).catch(() => {});
  }
}
