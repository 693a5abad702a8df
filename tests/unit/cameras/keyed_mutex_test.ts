import { KeyedMutex } from "../../../src/cameras/keyed_mutex.ts";
import { assertEquals } from "../../support/assert.ts";

Deno.test("calls on the same key run one at a time, in order; other keys run alongside", async () => {
  const m = new KeyedMutex();
  const log: string[] = [];
  const step = (name: string, ms: number) => async () => {
    log.push(`${name}+`);
    await new Promise((r) => setTimeout(r, ms));
    log.push(`${name}-`);
  };
  await Promise.all([
    m.run(["a"], step("a1", 20)),
    m.run(["a"], step("a2", 1)),
    m.run(["b"], step("b1", 5)),
    m.run(["b", "a"], step("ab", 1)),
  ]);
  assertEquals(log.indexOf("a1-") < log.indexOf("a2+"), true);
  assertEquals(log.indexOf("b1+") < log.indexOf("a1-"), true, "b ran while a1 held a");
  assertEquals(log.indexOf("a2-") < log.indexOf("ab+"), true);
  assertEquals(log.indexOf("b1-") < log.indexOf("ab+"), true);
});
