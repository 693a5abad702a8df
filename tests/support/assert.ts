/** Minimal assertions (the std library is not reachable from this network). */
export class AssertionError extends Error {}

export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new AssertionError(msg);
}

export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new AssertionError(`${msg ? msg + ": " : ""}expected ${e}, got ${a}`);
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
