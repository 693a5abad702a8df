/** Structured logging: one JSON object per line (or readable text), secrets masked. */
import { maskSecrets } from "./util/redact.ts";

export type LogFields = Record<string, unknown>;
export type Level = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export function createLogger(
  format: "json" | "text" = "json",
  base: LogFields = {},
  write: (line: string) => void = (line) => console.error(line),
  minLevel: Level = "info",
): Logger {
  const order: Level[] = ["debug", "info", "warn", "error"];
  const emit = (level: Level, msg: string, fields: LogFields = {}) => {
    if (order.indexOf(level) < order.indexOf(minLevel)) return;
    const record = { time: new Date().toISOString(), level, msg, ...base, ...fields };
    const line = format === "json"
      ? JSON.stringify(record)
      : `${record.time} ${level.toUpperCase()} ${msg} ${
        Object.entries({ ...base, ...fields }).map(([k, v]) =>
          `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`
        ).join(" ")
      }`;
    write(maskSecrets(line));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger(format, { ...base, ...fields }, write, minLevel),
  };
}
