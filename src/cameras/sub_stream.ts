/**
 * A camera's sub-stream (`sub_iaddr` in the options endpoint): a second, smaller stream
 * most IP cameras offer, pulled only while a live wall tile shows it (recorder/live/).
 * Only RTSP: it is checked like an iaddr, its password kept when an edit sends it back
 * masked, and masked in every response.
 */
import type { SubStream } from "../recorder/live/tap.ts";
import type { SourceOptions } from "../recorder/camera_status.ts";
import { parseSource, SourceError } from "../recorder/source_url.ts";
import { maskUrl } from "../util/redact.ts";
import { restoreMaskedPassword } from "./masked_password.ts";

/** The sub-stream address to store for what an edit sent; throws SourceError if refused. */
export function checkSubIaddr(given: string, stored: string | undefined): string {
  const iaddr = restoreMaskedPassword(given, stored ?? "");
  const source = parseSource(iaddr);
  if (source.kind !== "rtsp") {
    throw new SourceError("a sub-stream must be an rtsp:// or rtsps:// address");
  }
  return iaddr;
}

/** The stored sub-stream, parsed for the live view (none when unset or no longer valid). */
export function subStreamOf(o: SourceOptions | undefined): SubStream | undefined {
  if (!o?.subIaddr) return undefined;
  try {
    const source = parseSource(o.subIaddr);
    return source.kind === "rtsp" ? { source, transport: o.transport } : undefined;
  } catch (err) {
    if (err instanceof SourceError) return undefined;
    throw err;
  }
}

/** As responses show it: the password masked (`user:***@`), null when unset. */
export function shownSubIaddr(o: SourceOptions | undefined): string | null {
  return o?.subIaddr ? maskUrl(o.subIaddr) : null;
}
