/**
 * Redaction of secrets in text that is shown or logged: URL passwords, GStreamer
 * `user-pw=` properties and secret-looking query parameters. A leaf: anything may use it.
 */

/** The iaddr with its password replaced by `***` (safe to show and log). */
export function maskUrl(iaddr: string): string {
  return iaddr.replace(URL_AUTHORITY, maskAuthority);
}

/**
 * `scheme://` and the authority after it, as the URL parser delimits it: up to the first `/`,
 * `?` or `#` (and `\`, whitespace or `"`, which a source may not contain anyway). The userinfo
 * is everything before the *last* `@` of the authority and the password everything after the
 * first `:` of the userinfo (`rtsp://admin:s3cr@t@host/` has the password `s3cr@t`).
 */
const URL_AUTHORITY = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"/?#\\]*)/gi;
const maskAuthority = (_all: string, scheme: string, authority: string) => {
  const at = authority.lastIndexOf("@");
  const colon = authority.indexOf(":");
  if (at < 0 || colon < 0 || colon > at || colon === at - 1) return scheme + authority;
  return `${scheme}${authority.slice(0, colon)}:***${authority.slice(at)}`;
};
/** Values of `user-pw=` (rtspsrc, souphttpsrc): quoted, quoted inside a JSON string, or bare. */
const PW_PROPERTY = /\b(user-pw=)(\\"[^"\\]*\\"|"[^"]*"|[^\s"\\]+)/g;
/** Query parameters whose name says they carry a secret (`?apikey=`, `&token=`, `&X-Amz-Signature=`). */
const SECRET_PARAM =
  /([?&;](?:[\w.-]*(?:key|token|pass|pwd|secret|auth|sig|session|credential)[\w.-]*)=)([^&#\s"\\]*)/gi;

/**
 * Masks secrets in any text (log lines, error messages, health reasons): URL passwords
 * (`user:***@`), the `user-pw=` values of rtspsrc and souphttpsrc, and the values of
 * secret-looking query parameters.
 */
export function maskSecrets(text: string): string {
  return maskUrl(text).replace(PW_PROPERTY, "$1***").replace(
    SECRET_PARAM,
    (_a, name, value) => value === "" ? name : `${name}***`,
  );
}
