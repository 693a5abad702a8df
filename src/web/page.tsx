/** The HTML document around a page: head, header with tabs, one island. */
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { ISLANDS } from "./client/islands.ts";

export type Tab = "live" | "recordings" | "review" | "cameras";

const TABS: { id: Tab; href: string; label: string }[] = [
  { id: "live", href: "/", label: "Live" },
  { id: "recordings", href: "/recordings", label: "Recordings" },
  { id: "review", href: "/review", label: "Review" },
  { id: "cameras", href: "/cameras", label: "Cameras" },
];

/** Pages whose island shows its own visible <h1>; the others get a hidden one (screen readers). */
const OWN_HEADING = new Set<Tab>(["cameras", "review"]);

export interface PageInput {
  tab: Tab;
  title: string;
  css: string;
  script: string;
  props: Record<string, unknown>;
}

/** What every page's <head> holds: charset, viewport, dark theme, title, inlined CSS. */
export function HeadCommon({ title, css }: { title: string; css: string }) {
  return (
    <>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width,initial-scale=1" />
      <meta name="color-scheme" content="dark" />
      <meta name="theme-color" content="#0b0f14" />
      <title>{`${title} · NVR`}</title>
      <link rel="icon" href="data:," />
      <style dangerouslySetInnerHTML={{ __html: css }} />
    </>
  );
}

/** Server-renders a page; the island's props travel in an attribute (escaped by the renderer). */
export function renderPage({ tab, title, css, script, props }: PageInput): string {
  const island = ISLANDS[tab];
  const body = (
    <html lang="en">
      <head>
        <HeadCommon title={title} css={css} />
        <script type="module" src={script} />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="app-header">
          <span class="brand" aria-hidden="true">
            <span class="dot" />NVR
          </span>
          <nav aria-label="Sections">
            {TABS.map((t) => (
              <a key={t.id} href={t.href} aria-current={t.id === tab ? "page" : undefined}>
                {t.label}
              </a>
            ))}
          </nav>
          <div class="account" data-account hidden>
            <span class="who" />
            <button type="button" class="signout">Sign out</button>
          </div>
        </header>
        <main id="main" data-tab={tab}>
          {!OWN_HEADING.has(tab) && <h1 class="visually-hidden">{title}</h1>}
          <div data-island={tab} data-props={JSON.stringify(props)}>{h(island, props)}</div>
        </main>
      </body>
    </html>
  );
  return "<!doctype html>" + renderToString(body);
}
