/** The API's rule for a camera edit that sends back the masked password (`user:***@`). */
import { SourceError } from "../recorder/source_url.ts";

/** An edit sent the masked password (`user:***@`) for a source it cannot be restored to. */
export class MaskedPasswordError extends SourceError {}

/**
 * An edit that sends back the masked iaddr (`user:***@`, as every response shows it) keeps
 * the stored password, but only for the same scheme, user, host and port: a masked password
 * is never sent to a place it was not already sent to. Throws MaskedPasswordError otherwise.
 */
export function restoreMaskedPassword(iaddr: string, stored: string): string {
  const given = authorityOf(iaddr);
  if (!given || given.password !== "***") return iaddr;
  const old = authorityOf(stored);
  const same = old && old.password !== "" && old.protocol === given.protocol &&
    old.user === given.user && old.host === given.host && old.port === given.port;
  if (!same) {
    throw new MaskedPasswordError(
      "the password is masked (***) and this source's scheme, user, host or port changed: " +
        "give the password again",
    );
  }
  const { scheme, authority } = given;
  const rest = iaddr.slice(scheme.length + authority.length);
  return `${scheme}${authority.slice(0, authority.indexOf(":"))}:${old.password}${
    authority.slice(authority.lastIndexOf("@"))
  }${rest}`;
}

/** Scheme, user, password (as written), host and port of a URL, as the URL parser reads them. */
function authorityOf(iaddr: string) {
  let url: URL;
  try {
    url = new URL(iaddr);
  } catch (err) {
    if (err instanceof TypeError) return undefined; // not a URL
    throw err;
  }
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^\s"/?#\\]*)/i.exec(iaddr);
  if (!m) return undefined;
  const [, scheme, authority] = m;
  const at = authority.lastIndexOf("@");
  const colon = authority.indexOf(":");
  const password = at >= 0 && colon >= 0 && colon < at ? authority.slice(colon + 1, at) : "";
  return {
    scheme,
    authority,
    protocol: url.protocol.toLowerCase(),
    user: url.username,
    password,
    host: url.hostname.toLowerCase(),
    port: url.port,
  };
}
