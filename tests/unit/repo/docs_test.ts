/**
 * The docs stay findable: every setting of the config schema has its row (flag and env var) in
 * docs/configuration.md, and every relative link in README.md, docs/ and bench/RESULTS.md points
 * to a file that exists and, with an anchor, to a heading in it.
 */
import { dirname, join, normalize } from "node:path";
import { envName, SETTINGS } from "../../../src/config/config.ts";
import { REPO } from "../../../tools/server_flags.ts";
import { assertEquals } from "../../support/assert.ts";

const read = (path: string) => Deno.readTextFileSync(join(REPO, path));

Deno.test("every setting is documented in docs/configuration.md with its env var", () => {
  const doc = read("docs/configuration.md");
  const missing = SETTINGS.filter((flag) =>
    !new RegExp(`^\\| \`--${flag}\`\\s*\\| \`${envName(flag)}\`\\s*\\|`, "m").test(doc)
  );
  assertEquals(missing, []);
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, "").replaceAll(" ", "-");

Deno.test("relative links in the docs point to existing files and headings", () => {
  const docs = [
    "README.md",
    "bench/RESULTS.md",
    ...[...Deno.readDirSync(join(REPO, "docs"))].filter((e) => e.name.endsWith(".md"))
      .map((e) => `docs/${e.name}`),
  ];
  const headings = (path: string) =>
    new Set(
      [...read(path).replace(/```[\s\S]*?```/g, "").matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1])),
    );
  const broken: string[] = [];
  for (const doc of docs) {
    for (const [, link] of read(doc).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(link)) continue;
      const [path, anchor] = link.split("#");
      const target = path ? normalize(join(dirname(doc), path)) : doc;
      try {
        Deno.statSync(join(REPO, target));
      } catch {
        broken.push(`${doc}: ${link} (no such file)`);
        continue;
      }
      if (anchor && target.endsWith(".md") && !headings(target).has(anchor)) {
        broken.push(`${doc}: ${link} (no such heading)`);
      }
    }
  }
  assertEquals(broken, []);
});
