/** The sign-in page (only when access control is on): a plain form, no script needed. */
import { renderToString } from "preact-render-to-string";
import { CSS_PATH, loadAsset } from "./assets.ts";
import { HeadCommon } from "./page.tsx";

export interface LoginInput {
  css: string;
  /** Where to go after signing in (a local path, already checked). */
  next: string;
  error?: string;
  user?: string;
}

export function renderLogin({ css, next, error, user }: LoginInput): string {
  const body = (
    <html lang="en">
      <head>
        <HeadCommon title="Sign in" css={css} />
      </head>
      <body>
        <header class="app-header">
          <span class="brand" aria-hidden="true">
            <span class="dot" />NVR
          </span>
        </header>
        <main id="main" data-tab="login">
          <form class="camera-form login-form" method="post" action="/login">
            <h1>Sign in</h1>
            <input type="hidden" name="next" value={next} />
            <div class={`field${error ? " invalid" : ""}`}>
              <label for="login-user">User</label>
              <input id="login-user" name="user" autoComplete="username" value={user ?? ""} />
            </div>
            <div class={`field${error ? " invalid" : ""}`}>
              <label for="login-password">Password</label>
              <input
                id="login-password"
                name="password"
                type="password"
                autoComplete="current-password"
              />
            </div>
            {error && <p class="error" role="alert">{error}</p>}
            <div class="actions">
              <button type="submit" class="primary">Sign in</button>
            </div>
          </form>
        </main>
      </body>
    </html>
  );
  return "<!doctype html>" + renderToString(body);
}

/** The sign-in page with the app's stylesheet inlined (no other request before signing in). */
export async function loginPage(input: Omit<LoginInput, "css">): Promise<string> {
  const css = await loadAsset(CSS_PATH);
  return renderLogin({ ...input, css: css ? new TextDecoder().decode(css.body) : "" });
}
