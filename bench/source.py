#!/usr/bin/python3
"""Benchmark RTSP source: a pre-encoded H.264 clip, looped in real time, shared by all clients.

Usage: source.py PORT CLIP.h264 [--fps 25]

The clip (Annex B, no B-frames, starting with an IDR) is split into access units once;
a thread pushes one access unit per frame period into an appsrc (no encoding here).
Every keyframe gets an SEI (user data unregistered) carrying the wall-clock time in ms
at which it was pushed, so a benchmark can find, in any recorded segment, when its
first frame left the source. Mount: /h264. Prints "READY <port>". Stops on SIGTERM.
"""
import argparse
import sys
import threading
import time
from pathlib import Path

# The tests' RTSP server: same start-up (address, READY line, signals), its helpers reused.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))
from rtsp_server import new_server, serve, shared_factory  # noqa: E402

from gi.repository import Gst  # noqa: E402  (versions required by rtsp_server)

# 16 bytes without zero bytes (no emulation prevention needed), then 13 ASCII digits.
UUID = bytes.fromhex("b3e7c1d5a9f24e6b8c1d2e3f4a5b6c7d")


def nal_units(data: bytes):
    """Yields (type, bytes-with-start-code) for each NAL unit of an Annex B stream."""
    starts = []
    i = data.find(b"\x00\x00\x01")
    while i >= 0:
        s = i - 1 if i > 0 and data[i - 1] == 0 else i
        starts.append((s, i + 3))
        i = data.find(b"\x00\x00\x01", i + 3)
    for k, (s, body) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(data)
        yield data[body] & 0x1F, data[s:end]


def access_units(data: bytes):
    """Groups NAL units into access units (one slice per picture, as x264 writes by default)."""
    units, cur, has_vcl, key = [], [], False, False
    for t, nal in nal_units(data):
        vcl = t in (1, 5)
        if has_vcl and (vcl or t in (6, 7, 8, 9)):
            units.append((key, b"".join(cur)))
            cur, has_vcl, key = [], False, False
        cur.append(nal)
        has_vcl = has_vcl or vcl
        key = key or t == 5
    if cur:
        units.append((key, b"".join(cur)))
    return units


def sei(ms: int) -> bytes:
    payload = UUID + str(ms).encode()
    return b"\x00\x00\x00\x01\x06\x05" + bytes([len(payload)]) + payload + b"\x80"


class Feeder:
    def __init__(self, units, fps):
        self.units, self.period = units, 1.0 / fps

    def configure(self, _factory, media):
        src = media.get_element().get_by_name("src")
        threading.Thread(target=self.run, args=(src,), daemon=True).start()

    def run(self, src):
        t0, i = time.monotonic(), 0
        while True:
            key, au = self.units[i % len(self.units)]
            if key:
                au = sei(int(time.time() * 1000)) + au
            if src.emit("push-buffer", Gst.Buffer.new_wrapped(au)) != Gst.FlowReturn.OK:
                return  # media torn down (last client left)
            i += 1
            delay = t0 + i * self.period - time.monotonic()
            if delay > 0:
                time.sleep(delay)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("clip")
    p.add_argument("--fps", type=int, default=25)
    args = p.parse_args()
    with open(args.clip, "rb") as f:
        units = access_units(f.read())
    if not units or not units[0][0]:
        print("clip must start with an IDR frame", file=sys.stderr)
        sys.exit(1)

    server = new_server(args.port)
    factory = shared_factory(
        "( appsrc name=src is-live=true format=time do-timestamp=true "
        f"caps=video/x-h264,stream-format=byte-stream,alignment=au,framerate={args.fps}/1 "
        "! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )"
    )
    feeder = Feeder(units, args.fps)
    factory.connect("media-configure", feeder.configure)
    server.get_mount_points().add_factory("/h264", factory)
    serve(server, f"{args.port} {len(units)} frames")


if __name__ == "__main__":
    main()
