/**
 * The one fake gst-launch child (a `ChildHandle`) for unit and in-process tests, and a
 * CameraRecorder around it. The test decides what it prints (any line, or splitmuxsink's
 * fragment messages with real files behind them), when it exits and with which code, and
 * sees the signals it got; like `gst-launch-1.0 -e` it exits on SIGINT unless told not to.
 */
import { CameraRecorder, type RecorderDeps } from "../../src/recorder/camera_recorder.ts";
import type { ChildExit, ChildHandle } from "../../src/recorder/child_process.ts";
import { Catalog } from "../../src/storage/catalog.ts";
import { createLogger } from "../../src/log.ts";
import { FakeClock, flush } from "./fake_clock.ts";

let nextPid = 4242;

export class ScriptedGst implements ChildHandle {
  pid = nextPid++;
  /** Every signal kill() was given, in order. */
  readonly signals: Deno.Signal[] = [];
  /** Exits (code 0) when it gets SIGINT, as gst-launch -e does after its EOS; false: stuck in EOS. */
  exitOnSigint = true;
  #exit!: (e: ChildExit) => void;
  status = new Promise<ChildExit>((r) => this.#exit = r);
  #queue: { stream: "stdout" | "stderr"; line: string }[] = [];
  #wake?: () => void;
  #done = false;
  #n = 0;
  #rt = 0;
  /** splitmuxsink's `location=` pattern from the argv (empty when there is none). */
  readonly pattern: string;
  lines = (async function* (self: ScriptedGst) {
    while (true) {
      if (self.#queue.length) yield self.#queue.shift()!;
      else if (self.#done) return;
      else await new Promise<void>((r) => self.#wake = r);
    }
  })(this);

  constructor(readonly args: string[] = []) {
    // splitmuxsink's (a tap's branch may name other locations, e.g. motion's frame files).
    const loc = args.filter((a) => a.startsWith("location=") && a.endsWith('.ts"')).pop();
    this.pattern = loc ? loc.slice(10, -1) : "";
  }

  get exited(): boolean {
    return this.#done;
  }

  /** Prints one line on stdout (or stderr). */
  print(line: string, stream: "stdout" | "stderr" = "stdout") {
    this.#queue.push({ stream, line });
    this.#wake?.();
  }

  /** Ends the output and exits with `code` (and `signal`, when a signal ended it). */
  exit(code: number, signal: string | null = null) {
    this.#done = true;
    this.#wake?.();
    this.#exit({ code, signal });
  }

  #path(n: number) {
    return this.pattern.replace("%05d", String(n).padStart(5, "0"));
  }
  /** splitmuxsink opened the next segment. */
  open() {
    this.print(
      `Got message #1 from element "mux" (element): splitmuxsink-fragment-opened, location=(string)${
        this.#path(this.#n)
      }, running-time=(guint64)${this.#rt * 1e6}, sink=(GstElement)x;`,
    );
  }
  /** Writes the open segment (duration ms; `bytes`, or 10 filler packets) and closes it, then opens the next. */
  close(durationMs: number, bytes: Uint8Array = new Uint8Array(188 * 10).fill(0x47)) {
    Deno.writeFileSync(this.#path(this.#n), bytes);
    this.#rt += durationMs;
    this.print(
      `Got message #2 from element "mux" (element): splitmuxsink-fragment-closed, location=(string)${
        this.#path(this.#n)
      }, running-time=(guint64)${this.#rt * 1e6}, sink=(GstElement)x;`,
    );
    this.#n++;
    this.open();
  }
  /** Prints `lines` on stderr, then exits with `code`. */
  fail(lines: string[], code = 1) {
    for (const l of lines) this.print(l, "stderr");
    this.exit(code);
  }
  kill(signal: Deno.Signal) {
    this.signals.push(signal);
    if (this.#done) return;
    if (signal === "SIGKILL") this.exit(137, "SIGKILL");
    else if (signal === "SIGINT" && this.exitOnSigint) this.exit(0);
  }
}

export function setup(
  startMs: number,
  iaddr = "rtsp://cam/x",
  isRec: 0 | 1 = 0,
  extra: Partial<RecorderDeps> = {},
) {
  const root = Deno.makeTempDirSync();
  const clock = new FakeClock(startMs);
  const children: ScriptedGst[] = [];
  const catalog = new Catalog(root);
  const rec = new CameraRecorder(
    { gid: 1, seq: 2, iaddr, isRec },
    {
      mediaRoot: root,
      segmentSeconds: 2,
      liveSegments: 3,
      clock,
      spawn: (_cmd, args) => {
        const c = new ScriptedGst(args);
        children.push(c);
        return c;
      },
      catalog,
      log: createLogger("json", {}, () => {}),
      latencyMs: 0,
      ...extra,
    },
  );
  return { root, clock, children, rec, catalog };
}

export async function settle(rec: CameraRecorder) {
  await flush();
  await rec.settled();
  await flush();
}
