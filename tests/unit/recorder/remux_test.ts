/**
 * The export's remux (src/recorder/remux.ts) through a scripted Spawner: the segments
 * are written to the child's stdin in order (a pruned one skipped), and a failing child
 * throws with its error output.
 */
import { join } from "node:path";
import type { ChildHandle, SpawnOptions } from "../../../src/recorder/child_process.ts";
import { remux } from "../../../src/recorder/remux.ts";
import { assert, assertEquals } from "../../support/assert.ts";

/** A child that reads its stdin to the end, then exits with `code` after saying `stderr`. */
function scripted(code: number, stderr: string[] = []) {
  const calls: { command: string; args: string[]; options?: SpawnOptions; input: number[] }[] = [];
  const spawn = (command: string, args: string[], options?: SpawnOptions): ChildHandle => {
    const call = { command, args, options, input: [] as number[] };
    calls.push(call);
    const { promise: ended, resolve } = Promise.withResolvers<void>();
    const stdin = new WritableStream<Uint8Array>({
      write: (chunk) => void call.input.push(...chunk),
      close: () => resolve(),
    });
    return {
      pid: 1,
      stdin: options?.stdin ? stdin : undefined,
      lines: (async function* () {
        await ended;
        for (const line of stderr) yield { stream: "stderr" as const, line };
      })(),
      status: ended.then(() => ({ code, signal: null })),
      kill: () => {},
    };
  };
  return { spawn, calls };
}

Deno.test("remux: the span's segments go to the child's stdin in order; a pruned one is skipped", async () => {
  const dir = await Deno.makeTempDir();
  const paths = ["a.ts", "gone.ts", "b.ts"].map((n) => join(dir, n));
  await Deno.writeFile(paths[0], new Uint8Array([1, 2]));
  await Deno.writeFile(paths[2], new Uint8Array([3]));
  const gst = scripted(0);
  await remux(gst.spawn, paths, { video: "h265", audio: false }, join(dir, "out.mp4"));
  assertEquals(gst.calls.length, 1);
  const call = gst.calls[0];
  assertEquals([call.command, call.options?.stdin], ["gst-launch-1.0", true]);
  assert(call.args.includes("h265parse") && call.args.includes(`location=${dir}/out.mp4`));
  assertEquals(call.input, [1, 2, 3]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("remux: a child that fails throws with its error output", async () => {
  const gst = scripted(1, ["ERROR: no element tsdemux"]);
  let message = "";
  try {
    await remux(gst.spawn, [], { video: "h264", audio: true }, "/nonexistent/out.mp4");
  } catch (err) {
    message = (err as Error).message;
  }
  assertEquals(message, "remux failed (1): ERROR: no element tsdemux\n");
});
