/** Headless Chromium (Debian's build) driven by playwright-core, for the UI tests. */
import { type Browser, chromium, type Page } from "playwright-core";
import { CHROMIUM_FLAGS } from "../../tools/chromium.ts";

export const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
export const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;

export async function launch(): Promise<Browser> {
  return await chromium.launch({ executablePath: CHROMIUM, timeout: 30_000, args: CHROMIUM_FLAGS });
}

export async function openPage(
  browser: Browser,
  url: string,
  viewport = { width: 1440, height: 900 },
): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto(url, { waitUntil: "domcontentloaded" });
  return page;
}

export function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, timeout: 10_000 });
}

/** Page width beyond the viewport (0 when nothing overflows horizontally). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return await page.evaluate(() =>
    Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - innerWidth
  );
}
