/**
 * Recording schedules: a cron expression for the moments recording turns on, one for
 * the moments it turns off, read in an IANA time zone (croner handles DST: a time in
 * a skipped hour fires at the first moment after the gap, a repeated hour fires once).
 * Pure functions of a schedule and an instant.
 */
import { Cron } from "croner";
import { z } from "zod";

/** A recording schedule, as the API takes it (PUT …/schedule). */
export const ScheduleInput = z.strictObject({
  /** Cron expression (5 or 6 fields) of the moments recording turns on. */
  start: z.string().min(1).max(100),
  /** Cron expression of the moments recording turns off. */
  stop: z.string().min(1).max(100),
  /** IANA time zone the expressions are read in. */
  timezone: z.string().min(1).max(64).default("UTC"),
  enabled: z.boolean().default(true),
});
export type Schedule = z.infer<typeof ScheduleInput>;

const cron = (pattern: string, timezone: string) => new Cron(pattern, { timezone, paused: true });

/** Problems with a schedule, per field (empty when valid). */
export function scheduleErrors(s: Schedule): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  try {
    new Intl.DateTimeFormat("en", { timeZone: s.timezone });
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    errors.push({ field: "timezone", message: "must be an IANA time zone, e.g. Europe/Berlin" });
    return errors;
  }
  for (const field of ["start", "stop"] as const) {
    try {
      if (!cron(s[field], s.timezone).nextRun(new Date(0))) {
        errors.push({ field, message: "never fires" });
      }
    } catch (err) {
      errors.push({ field, message: (err as Error).message.replace(/^CronPattern: /, "") });
    }
  }
  return errors;
}

/** Whether the schedule says "record" at `nowMs`: its last start is later than its last stop. */
export function scheduledOn(s: Schedule, nowMs: number): boolean {
  const at = new Date(nowMs + 1); // an edge at exactly `nowMs` counts as passed
  const start = cron(s.start, s.timezone).previousRuns(1, at)[0]?.getTime() ?? -Infinity;
  const stop = cron(s.stop, s.timezone).previousRuns(1, at)[0]?.getTime() ?? -Infinity;
  return start > stop;
}

/** The next edge after `nowMs`: when, and what the schedule says from then on. */
export function nextEdge(s: Schedule, nowMs: number): { at: number; on: boolean } | undefined {
  const from = new Date(nowMs);
  const start = cron(s.start, s.timezone).nextRun(from)?.getTime();
  const stop = cron(s.stop, s.timezone).nextRun(from)?.getTime();
  if (start === undefined && stop === undefined) return undefined;
  if (stop === undefined || (start !== undefined && start < stop)) return { at: start!, on: true };
  if (start === stop) return { at: start, on: scheduledOn(s, start) };
  return { at: stop, on: false };
}
