/**
 * Is a network source answering again? One TCP connect to its host and port, closed at
 * once: microseconds of CPU, no child process. The supervisor asks it while it waits out
 * a long backoff, so a camera that was off (refused or timed out) is recorded again within
 * seconds of coming back, while one that answers but fails (wrong path, password, codec)
 * keeps its minutes-long backoff.
 */
import type { Source } from "./source_url.ts";

/** Default ports of the schemes a network source may use. */
const DEFAULT_PORTS: Record<string, number> = {
  "rtsp:": 554,
  "rtsps:": 322,
  "rtmp:": 1935,
  "http:": 80,
  "https:": 443,
};

/** Host and port a source connects to; none for sources without a network (test, file). */
export function sourceEndpoint(source: Source): { hostname: string; port: number } | undefined {
  if (source.kind === "test" || source.kind === "file") return undefined;
  let url: URL;
  try {
    url = new URL(source.location);
  } catch (err) {
    if (err instanceof TypeError) return undefined; // not a URL: nothing to probe
    throw err;
  }
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  if (!port || !url.hostname) return undefined;
  // URL keeps the brackets of an IPv6 literal; Deno.connect wants the bare address.
  return { hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"), port };
}

/** Connects with a time limit; true when the host accepted the connection. */
export async function tcpReachable(
  endpoint: { hostname: string; port: number },
  timeoutMs = 3000,
): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connecting = Deno.connect({ ...endpoint, transport: "tcp" });
  const timedOut = new Promise<"timeout">((r) => timer = setTimeout(() => r("timeout"), timeoutMs));
  try {
    const result = await Promise.race([connecting, timedOut]);
    if (result === "timeout") {
      connecting.then((c) => c.close(), () => {});
      return false;
    }
    result.close();
    return true;
  } catch (err) {
    // Not allowed to connect (--allow-net) is a setup error, not an absent camera.
    if (err instanceof Deno.errors.NotCapable) throw err;
    return false; // refused, unreachable, no route: the camera is not there (yet)
  } finally {
    clearTimeout(timer);
  }
}
