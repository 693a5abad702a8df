/**
 * A closed recording session of filler for the archive benchmarks: `seconds` one-second
 * segments of `mbps` (null MPEG-TS packets: nothing decodes them, every byte is uploaded
 * and served), written through the recorder's own RecordingSession.
 */
import { join } from "node:path";
import { RecordingSession } from "../src/storage/session.ts";

/** Bytes of a one-second segment at `mbps` (whole 188-byte packets). */
export const segmentBytes = (mbps: number) => Math.round((mbps * 1e6) / 8 / 188) * 188;

/** Writes the session under `mediaRoot` (a scratch file in `scratch`); returns its folder. */
export async function fillerSession(
  o: {
    mediaRoot: string;
    scratch: string;
    seq: number;
    start: number;
    seconds: number;
    mbps: number;
  },
): Promise<string> {
  const bytes = segmentBytes(o.mbps);
  const filler = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 188) filler.set([0x47, 0x1f, 0xff, 0x10], i);
  const s = await RecordingSession.open(o.mediaRoot, 1, o.seq, o.start, 1);
  for (let i = 0; i < o.seconds; i++) {
    const p = join(o.scratch, "seg.ts");
    await Deno.writeFile(p, filler);
    await s.append(p, o.start + i * 1000, 1000, false, bytes);
    await Deno.remove(p);
  }
  await s.close("recording stopped");
  return s.dir;
}
