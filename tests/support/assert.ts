/** Minimal assertions in the style of @std/assert (which cannot be installed here). */
export class AssertionError extends Error {}

export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new AssertionError(msg);
}

/** Structural equality: same prototype, same keys, equal values; Maps, Sets, Dates, arrays. */
export function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof Set) {
    const other = b as Set<unknown>;
    return a.size === other.size && [...a].every((x) => [...other].some((y) => equal(x, y)));
  }
  if (a instanceof Map) {
    const other = b as Map<unknown, unknown>;
    return a.size === other.size &&
      [...a].every(([k, v]) => other.has(k) && equal(v, other.get(k)));
  }
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    Object.hasOwn(b, k) &&
    equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
  );
}

const show = (v: unknown): string =>
  v instanceof Set || v instanceof Map ? `${v.constructor.name}(${JSON.stringify([...v])})` : (
    JSON.stringify(v) ?? String(v)
  );

export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  if (!equal(actual, expected)) {
    throw new AssertionError(
      `${msg ? msg + ": " : ""}expected ${show(expected)}, got ${show(actual)}`,
    );
  }
}

export function assertMatch(actual: string, re: RegExp, msg?: string): void {
  if (!re.test(actual)) {
    throw new AssertionError(
      `${msg ? msg + ": " : ""}${JSON.stringify(actual)} does not match ${re}`,
    );
  }
}

export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance: number,
  msg?: string,
) {
  if (Math.abs(actual - expected) > tolerance) {
    throw new AssertionError(
      `${msg ? msg + ": " : ""}expected ${expected} ± ${tolerance}, got ${actual}`,
    );
  }
}

export async function assertRejects(fn: () => Promise<unknown>, match?: RegExp): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    if (match && !match.test(String((err as Error).message))) {
      throw new AssertionError(`error ${(err as Error).message} does not match ${match}`);
    }
    return err as Error;
  }
  throw new AssertionError("expected a rejection");
}

export function assertThrows(fn: () => unknown, match?: RegExp): Error {
  try {
    fn();
  } catch (err) {
    if (match && !match.test(String((err as Error).message))) {
      throw new AssertionError(`error ${(err as Error).message} does not match ${match}`);
    }
    return err as Error;
  }
  throw new AssertionError("expected an exception");
}
