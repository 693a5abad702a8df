/**
 * Markup in user text never runs: camera names with script payloads on every page
 * (server render and hydrated), and the sign-in page's echoed user name and `next`.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { Nvr } from "../support/harness.ts";
import { launch } from "../ui/browser.ts";

const PAYLOADS = [
  `<img src=x onerror=alert(1)>`,
  `"><svg onload=alert(2)>`,
  `</script><script>alert(3)</script>`,
  `'-alert(4)-'`,
];

Deno.test({
  name: "XSS: camera names and sign-in fields render as text on every page",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const nvr = await new Nvr({
      authorization: "Bearer xss-test-token-0123456789",
      extraArgs: ["--api-token=xss-test-token-0123456789", "--users=a:admin:password-1"],
    }).start();
    const browser = await launch();
    try {
      for (const [i, name] of PAYLOADS.entries()) {
        const r = await nvr.api("POST", "/api/camera", {
          seq: i + 1,
          gid: 1,
          name,
          iaddr: "test://ball",
          protocol: "test",
          isRec: 0,
        });
        assertEquals(r.status, 201);
      }
      const page = await browser.newPage();
      page.setDefaultTimeout(15_000);
      const fired: string[] = [];
      page.on("dialog", (d) => {
        fired.push(d.message());
        d.dismiss().catch(() => {});
      });
      // Sign-in page: a hostile next and user name are echoed as text only.
      const evilNext = encodeURIComponent(`"><script>alert(5)</script>`);
      await page.goto(`${nvr.base}/login?next=${evilNext}`);
      assertEquals(await page.inputValue("input[name=next]"), "/");
      await page.fill("#login-user", PAYLOADS[0]);
      await page.fill("#login-password", "wrong-password");
      await page.click("button[type=submit]");
      await page.waitForSelector("p.error");
      assertEquals(await page.inputValue("#login-user"), PAYLOADS[0]);
      await page.fill("#login-user", "a");
      await page.fill("#login-password", "password-1");
      await page.click("button[type=submit]");
      await page.waitForURL(`${nvr.base}/`);
      for (const path of ["/", "/cameras", `/recordings?cam=1-1`]) {
        await page.goto(nvr.base + path, { waitUntil: "load" });
        await page.waitForTimeout(1000);
        const text = await page.evaluate(() => document.body.innerText);
        for (const p of PAYLOADS) assert(text.includes(p), `${path} shows ${p} as text`);
        const injected = await page.evaluate(() =>
          document.querySelectorAll("img[src=x], svg[onload], script:not([src]):not([type])")
            .length
        );
        assertEquals(injected, 0, `${path}: injected elements`);
      }
      assertEquals(fired, [], "no script ran");
    } finally {
      await browser.close();
      await nvr.stop();
    }
  },
});
