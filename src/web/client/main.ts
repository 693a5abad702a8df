/** Browser entry: hydrates every server-rendered island of the page. */
import { h, hydrate } from "preact";
import { ISLANDS } from "./islands.ts";
import { installCsrfHeader } from "./csrf.ts";
import { installAccount } from "./account.ts";

installCsrfHeader();
void installAccount();

for (const el of document.querySelectorAll<HTMLElement>("[data-island]")) {
  const island = ISLANDS[el.dataset.island ?? ""];
  if (!island) continue;
  hydrate(h(island, JSON.parse(el.dataset.props ?? "{}")), el);
}
