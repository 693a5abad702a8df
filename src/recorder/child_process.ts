/** Spawning a child (never through a shell) and reading its output line by line. */

export interface ChildExit {
  code: number;
  signal: string | null;
}

export interface ChildHandle {
  pid: number;
  /** Each output line, in order, from stdout and stderr. Ends when both close. */
  lines: AsyncIterable<{ stream: "stdout" | "stderr"; line: string }>;
  status: Promise<ChildExit>;
  kill(signal: Deno.Signal): void;
  /** The child's standard input, when it was spawned with `{ stdin: true }`. */
  stdin?: WritableStream<Uint8Array>;
}

export interface SpawnOptions {
  /** Give the child a standard input to write to (default: none, /dev/null). */
  stdin?: boolean;
}

export type Spawner = (command: string, args: string[], options?: SpawnOptions) => ChildHandle;

async function* splitLines(stream: ReadableStream<Uint8Array>): AsyncIterable<string> {
  let buffer = "";
  for await (
    const chunk of stream.pipeThrough(
      new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>,
    )
  ) {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, nl).replace(/\r$/, "");
      buffer = buffer.slice(nl + 1);
    }
    // A child that prints without newlines must not grow memory without bound.
    if (buffer.length > 65536) buffer = buffer.slice(-65536);
  }
  if (buffer) yield buffer;
}

/** Merges two async iterables, tagging each item with its source. */
async function* merge(
  out: AsyncIterable<string>,
  err: AsyncIterable<string>,
): AsyncIterable<{ stream: "stdout" | "stderr"; line: string }> {
  const queue: { stream: "stdout" | "stderr"; line: string }[] = [];
  let wake: (() => void) | undefined;
  let open = 2;
  const pump = async (it: AsyncIterable<string>, stream: "stdout" | "stderr") => {
    try {
      for await (const line of it) {
        queue.push({ stream, line });
        wake?.();
      }
    } catch {
      // Any read error (the child died, the pipe broke) ends this stream like its end does;
      // the child's exit status says what happened.
    }
    open--;
    wake?.();
  };
  pump(out, "stdout");
  pump(err, "stderr");
  while (open > 0 || queue.length) {
    if (queue.length) yield queue.shift()!;
    else await new Promise<void>((r) => wake = r);
  }
}

export const denoSpawner: Spawner = (command, args, options) => {
  const child = new Deno.Command(command, {
    args,
    stdin: options?.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  return {
    pid: child.pid,
    lines: merge(splitLines(child.stdout), splitLines(child.stderr)),
    status: child.status.then((s) => ({ code: s.code, signal: s.signal })),
    stdin: options?.stdin ? child.stdin : undefined,
    kill: (signal) => {
      try {
        child.kill(signal);
      } catch (err) {
        // Deno throws a TypeError for a child that has already exited: nothing to end.
        if (!(err instanceof TypeError)) throw err;
      }
    },
  };
};
