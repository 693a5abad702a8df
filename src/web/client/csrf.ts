/**
 * With access control on, a signed-in browser holds a readable `nvr_csrf` cookie:
 * every state-changing same-origin fetch echoes it in `X-CSRF-Token`. Without that
 * cookie (access control off) requests are left exactly as they are.
 */
export function installCsrfHeader(): void {
  const original = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (input: RequestInfo | URL, init: RequestInit = {}) => {
    const method = (init.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const token = /(?:^|;\s*)nvr_csrf=([^;]+)/.exec(document.cookie)?.[1];
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (!token || ["GET", "HEAD", "OPTIONS"].includes(method) || url.origin !== location.origin) {
      return original(input, init);
    }
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : {}));
    headers.set("x-csrf-token", decodeURIComponent(token));
    return original(input, { ...init, headers });
  };
}
