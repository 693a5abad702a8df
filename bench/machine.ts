/** Describes the machine and tool versions for the report. */

async function firstLine(cmd: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const text = new TextDecoder().decode(out.stdout) || new TextDecoder().decode(out.stderr);
    return text.split("\n").find((l) => l.trim())?.trim() ?? "?";
  } catch {
    return "not found";
  }
}

export interface Machine {
  cores: number;
  model: string;
  memGb: number;
  os: string;
  kernel: string;
  deno: string;
  gstreamer: string;
  ffmpeg: string;
  chromium: string;
  wrk: string;
  loadBefore: string;
}

export async function describeMachine(chromium: string): Promise<Machine> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo");
  const meminfo = await Deno.readTextFile("/proc/meminfo");
  const osRelease = await Deno.readTextFile("/etc/os-release").catch(() => "");
  return {
    cores: (cpuinfo.match(/^processor\s*:/gm) ?? []).length,
    model: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? "?",
    memGb: Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0) / 1024 / 1024,
    os: /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? Deno.build.os,
    kernel: Deno.osRelease(),
    deno: `${Deno.version.deno} (V8 ${Deno.version.v8})`,
    gstreamer: await firstLine("gst-launch-1.0", ["--gst-version"]),
    ffmpeg: (await firstLine("ffmpeg", ["-version"])).replace(/ Copyright.*/, ""),
    chromium: await firstLine(chromium, ["--version"]),
    wrk: (await firstLine("wrk", ["-v"])).replace(/ Copyright.*/, ""),
    loadBefore: (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" "),
  };
}
