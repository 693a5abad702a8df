/** The archive in health (a warning, credentials named) and metrics. */
import { archiveWarnings, renderArchiveMetrics } from "../../../src/health/archive_health.ts";
import type { ArchiveStatus } from "../../../src/archive/uploader.ts";
import { assert, assertEquals } from "../../support/assert.ts";

const OK: ArchiveStatus = {
  backlogBytes: 0,
  lagSeconds: 0,
  uploadedBytes: 1234,
  uploadedObjects: 2,
  errors: 0,
  failures: 0,
  lastSuccessAt: 1000,
};

Deno.test("archive health: quiet while uploads succeed; a warning with backlog when they fail", () => {
  assertEquals(archiveWarnings(OK, 5000), []);
  const down = {
    ...OK,
    failures: 3,
    errors: 3,
    lastError: "PUT x: connection refused",
    backlogBytes: 3 * 2 ** 20,
    lagSeconds: 42.4,
  };
  const [w] = archiveWarnings(down, 61_000);
  assertEquals(
    w,
    "archive: uploads failing for 60 s: PUT x: connection refused; backlog 3.0 MiB, oldest 42 s",
  );
  const refused = {
    ...down,
    lastError: "HEAD bucket: HTTP 403 SignatureDoesNotMatch",
    lastSuccessAt: undefined,
  };
  const [r] = archiveWarnings(refused, 61_000);
  assert(
    r.startsWith("archive: uploads failing since start-up (the store refused the credentials"),
    r,
  );
});

Deno.test("archive metrics: the nvr_archive_* families", () => {
  const text = renderArchiveMetrics({
    ...OK,
    backlogBytes: 10,
    lagSeconds: 1.5,
    errors: 4,
    failures: 1,
  });
  for (
    const line of [
      "nvr_archive_backlog_bytes 10",
      "nvr_archive_lag_seconds 1.5",
      "nvr_archive_uploaded_bytes_total 1234",
      "nvr_archive_errors_total 4",
      "nvr_archive_up 0",
      "# TYPE nvr_archive_errors_total counter",
    ]
  ) assert(text.includes(line + "\n"), line);
});
