/**
 * 9. MQTT event rate: motion events published to a real broker (Debian's mosquitto, started
 * here on loopback, tests/support/mosquitto.ts) by the server's path (EventHub →
 * Integrations → MqttBridge → mqtt.js) against a bare mqtt.js client sending the same
 * messages, each in a process of its own (bench/mqtt_publisher.ts), alternating, in one run.
 * Flood: as many events as go, until the broker acknowledged them all; paced: a steady rate.
 * A `mosquitto_sub` counts the event messages the broker delivers.
 */
import { join } from "node:path";
import { Mosquitto, MQTT_PASSWORD, MQTT_USER } from "../tests/support/mosquitto.ts";
import { spawn } from "./procs.ts";
import { BENCH_DIR } from "./source.ts";

export interface MqttRun {
  events: number;
  messages: number;
  ms: number;
  cpuMs: number;
  /** Event messages the subscriber got (of `events`). */
  delivered: number;
}

export interface MqttRow {
  /** Events/s asked for; 0: flood. */
  rate: number;
  nvr: MqttRun[];
  bare: MqttRun[];
}

async function once(
  broker: Mosquitto,
  mode: "nvr" | "bare",
  events: number,
  rate: number,
): Promise<MqttRun> {
  const sub = spawn("mosquitto_sub", [
    ...["-h", "127.0.0.1", "-p", String(broker.port), "-u", MQTT_USER, "-P", MQTT_PASSWORD],
    ...["-t", "nvr/bench/events", "-q", "1", "-C", String(events), "-W", "120"],
  ], { stdout: true });
  await new Promise((r) => setTimeout(r, 300)); // subscribed
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      join(BENCH_DIR, "mqtt_publisher.ts"),
      mode,
      broker.url,
      String(events),
      String(rate),
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(180_000),
  }).output();
  if (!out.success) throw new Error(`mqtt ${mode}: ${new TextDecoder().decode(out.stderr)}`);
  const r = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
  // It exits once it has `events` messages; else its lines count them (up to 5000).
  const done = await Promise.race([sub.proc.status, new Promise((w) => setTimeout(w, 10_000))]);
  const delivered = (done as Deno.CommandStatus | undefined)?.success ? events : sub.lines.length;
  await sub.stop("SIGKILL");
  return { events: r.events, messages: r.messages, ms: r.ms, cpuMs: r.cpuMs, delivered };
}

/** `rounds` pairs (server path, then bare) at each rate; `seconds` of events when paced. */
export async function measureMqtt(
  plan: { floodEvents: number; rate: number; seconds: number; rounds: number },
  log: (m: string) => void,
): Promise<MqttRow[]> {
  const broker = await new Mosquitto().start();
  try {
    const rows: MqttRow[] = [];
    for (const rate of [0, plan.rate]) {
      const events = rate ? rate * plan.seconds : plan.floodEvents;
      const row: MqttRow = { rate, nvr: [], bare: [] };
      for (let i = 0; i < plan.rounds; i++) {
        row.nvr.push(await once(broker, "nvr", events, rate));
        row.bare.push(await once(broker, "bare", events, rate));
      }
      rows.push(row);
      const m = mqttFigures(row);
      log(
        `mqtt ${rate ? `${rate} events/s` : "flood"}: ${m.nvrRate.toFixed(0)} vs ` +
          `${m.bareRate.toFixed(0)} events/s, ${m.nvrCpu.toFixed(1)} vs ${m.bareCpu.toFixed(1)} ` +
          "CPU ms per 1000 events",
      );
    }
    return rows;
  } finally {
    await broker.stop();
    await Deno.remove(broker.dir, { recursive: true }).catch(() => {});
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

/** Medians over the rounds: events/s and CPU ms per 1000 events, each side. */
export function mqttFigures(row: MqttRow) {
  const rate = (runs: MqttRun[]) => median(runs.map((r) => r.events / (r.ms / 1000)));
  const cpu = (runs: MqttRun[]) => median(runs.map((r) => r.cpuMs / (r.events / 1000)));
  return {
    nvrRate: rate(row.nvr),
    bareRate: rate(row.bare),
    nvrCpu: cpu(row.nvr),
    bareCpu: cpu(row.bare),
    perEvent: row.nvr[0] ? row.nvr[0].messages / row.nvr[0].events : NaN,
    delivered: [...row.nvr, ...row.bare].every((r) => r.delivered === r.events),
  };
}

/** One row of the report's table (bench/report.ts, section 9). */
export function mqttCells(row: MqttRow): (string | number)[] {
  const m = mqttFigures(row);
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const load = row.rate ? `${row.rate} events/s` : `flood of ${row.nvr[0]?.events}`;
  // deno-fmt-ignore
  return [load, row.nvr.length, m.perEvent.toFixed(1), m.nvrRate.toFixed(0), m.bareRate.toFixed(0), x(m.nvrRate, m.bareRate), m.nvrCpu.toFixed(1), m.bareCpu.toFixed(1), x(m.nvrCpu, m.bareCpu), m.delivered ? "all" : "**not all**"];
}
