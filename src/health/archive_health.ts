/**
 * The archive in health and metrics, as pure functions of the uploader's status: a warning
 * (never a 503: recording goes on locally) while uploads fail, with a hint when the store
 * refused the credentials, and the `nvr_archive_*` metric families.
 */
import type { ArchiveStatus } from "../archive/uploader.ts";

const CREDENTIAL_CODES = /InvalidAccessKeyId|SignatureDoesNotMatch|AccessDenied|HTTP 403/;

/** The health warnings of the archive (empty while uploads succeed). */
export function archiveWarnings(s: ArchiveStatus, now: number): string[] {
  if (s.failures === 0) return [];
  const mib = (s.backlogBytes / 2 ** 20).toFixed(1);
  const since = s.lastSuccessAt === undefined
    ? "since start-up"
    : `for ${Math.round((now - s.lastSuccessAt) / 1000)} s`;
  const hint = CREDENTIAL_CODES.test(s.lastError ?? "")
    ? " (the store refused the credentials: check NVR_ARCHIVE_ACCESS_KEY_ID and NVR_ARCHIVE_SECRET_ACCESS_KEY)"
    : "";
  return [
    `archive: uploads failing ${since}${hint}: ${
      s.lastError ?? "unknown error"
    }; backlog ${mib} MiB, oldest ${Math.round(s.lagSeconds)} s`,
  ];
}

/** Prometheus text of the archive's metric families. */
export function renderArchiveMetrics(s: ArchiveStatus): string {
  const one = (name: string, type: string, help: string, value: number) =>
    `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`;
  return one(
    "nvr_archive_backlog_bytes",
    "gauge",
    "Recorded bytes not yet archived.",
    s.backlogBytes,
  ) +
    one(
      "nvr_archive_lag_seconds",
      "gauge",
      "Age of the oldest segment not yet archived (0: none).",
      Math.round(s.lagSeconds * 1000) / 1000,
    ) +
    one(
      "nvr_archive_uploaded_bytes_total",
      "counter",
      "Bytes uploaded and verified.",
      s.uploadedBytes,
    ) +
    one("nvr_archive_errors_total", "counter", "Failed archive requests.", s.errors) +
    one("nvr_archive_up", "gauge", "1 while the last archive pass succeeded.", s.failures ? 0 : 1);
}
