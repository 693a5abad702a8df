#!/usr/bin/python3
"""A real RTSP server for the tests, built on GStreamer's RTSP server library.

Usage: rtsp_server.py PORT [--gop FRAMES] [--fps N] [--size WxH] [--user U --password P]
                         [--h264-as h265] [--slices N]

Mounts (all live, shared between clients, encoded once per mount):
  /h264        H.264 video
  /h265        H.265 video
  /h264aac     H.264 video + AAC audio
  /h264pcmu    H.264 video + G.711 (PCMU) audio
  /h264mute    H.264 video + an AAC track announced in the SDP that never sends a packet
  /motion, /drift  with --motion-scenes: the motion detector's scenes (see motion_factories)
  /blink       H.264, dark, white while wall-clock seconds mod --blink-period are under
               --blink-on (latency measurements: the frame's content says when it was made)
Prints "READY <port>" on stdout once listening. Stops on SIGTERM/SIGINT.
bench/source.py builds its server with the helpers below (new_server, shared_factory, serve).
"""
import argparse
import math
import signal
import sys
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def video(encoder: str, pay: str, args) -> str:
    w, h = args.size.split("x")
    caps = f"video/x-raw,width={w},height={h},framerate={args.fps}/1"
    if encoder == "x264":
        enc = (f"x264enc tune=zerolatency speed-preset=ultrafast key-int-max={args.gop} "
               f"bitrate={args.bitrate}")
        if args.slices > 1:
            # A camera whose encoder cuts every frame into several slices (NAL units).
            enc += f" sliced-threads=true threads={args.slices} option-string=slices={args.slices}"
    else:
        enc = f"x265enc tune=zerolatency speed-preset=ultrafast key-int-max={args.gop} bitrate={args.bitrate}"
    return (f"videotestsrc is-live=true pattern={args.pattern} ! {caps} ! "
            f"clockoverlay time-format=\"%H:%M:%S\" ! {enc} ! {pay} name=pay0 pt=96 config-interval=1")


def blink_factory(args) -> GstRtspServer.RTSPMediaFactory:
    """/blink: frames made from the wall clock (appsrc), white from each multiple of
    --blink-period for --blink-on seconds, dark otherwise; a keyframe every second."""
    w, h = (int(x) for x in args.size.split("x"))
    fps = args.fps
    size = w * h
    # I420: luma plane, then two chroma planes at a quarter size each (128 = no colour).
    frames = {on: bytes([235 if on else 16]) * size + bytes([128]) * (size // 2) for on in (True, False)}
    launch = (f"( appsrc name=blinksrc is-live=true do-timestamp=true format=time "
              f"caps=video/x-raw,format=I420,width={w},height={h},framerate={fps}/1 ! "
              f"x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate={args.bitrate} ! "
              f"rtph264pay name=pay0 pt=96 config-interval=1 )")
    factory = shared_factory(launch)
    running = {"on": False}

    def configure(_factory, media):
        src = media.get_element().get_by_name_recurse_up("blinksrc")

        def push():
            white = (time.time() % args.blink_period) < args.blink_on
            ok = src.emit("push-buffer", Gst.Buffer.new_wrapped(frames[white])) == Gst.FlowReturn.OK
            running["on"] = ok
            return ok

        def need_data(_src, _length):
            if not running["on"]:
                running["on"] = True
                GLib.timeout_add(max(1, 1000 // fps), push)

        src.connect("need-data", need_data)

    factory.connect("media-configure", configure)
    return factory


def motion_factories(args) -> dict:
    """/motion and /drift, the motion detector's test scenes (--motion-scenes): a static
    picture (colour bars) with sensor noise (snow at low alpha) and a burned-in ticking clock,
    H.264 with a keyframe every second, 10 fps. /motion: a dark box appears when wall-clock
    seconds mod --motion-period reach --motion-from and leaves at --motion-to, moving right
    while it is there. /drift: no object; the light drifts slowly (brightness ±0.15 over 2 min)."""
    fps = 10
    w, h = (int(x) for x in args.size.split("x"))
    caps = f"video/x-raw,width={w},height={h},framerate={fps}/1"
    # 4:2:0 like a camera (the compositor's output would make x264 pick 4:4:4).
    enc = (f"video/x-raw,format=I420 ! clockoverlay time-format=\"%H:%M:%S\" ! x264enc tune=zerolatency "
           f"speed-preset=ultrafast key-int-max={fps} bitrate=600 ! "
           f"rtph264pay name=pay0 pt=96 config-interval=1")
    scene = (f"videotestsrc is-live=true pattern=smpte ! {caps} ! mix.sink_0 "
             f"videotestsrc is-live=true pattern=snow ! {caps} ! mix.sink_1")
    box = (f"videotestsrc is-live=true pattern=solid-color foreground-color=0xff101010 ! "
           f"video/x-raw,width={w // 5},height={h // 4},framerate={fps}/1 ! mix.sink_2")
    launches = {
        "/motion": (f"( compositor name=mix sink_1::alpha=0.08 sink_2::alpha=0 sink_2::ypos={h // 6} ! "
                    f"videoconvert ! {enc} {scene} {box} )"),
        "/drift": (f"( compositor name=mix sink_1::alpha=0.08 ! videoconvert ! "
                   f"videobalance name=light ! videoconvert ! {enc} {scene} )"),
    }

    def box_tick(pad) -> bool:
        t = time.time() % args.motion_period
        present = args.motion_from <= t < args.motion_to
        pad.set_property("alpha", 1.0 if present else 0.0)
        if present:
            pad.set_property("xpos", int(w * 0.1 + (t - args.motion_from) * w * 0.08))
        return True

    def light_tick(balance) -> bool:
        balance.set_property("brightness", 0.15 * math.sin(2 * math.pi * time.time() / 120))
        return True

    def configure(_factory, media):
        bin_ = media.get_element()
        mix, light = bin_.get_by_name_recurse_up("mix"), bin_.get_by_name_recurse_up("light")
        if light is not None:
            GLib.timeout_add(100, light_tick, light)
        elif mix is not None:
            pad = mix.get_static_pad("sink_2")
            GLib.timeout_add(20, box_tick, pad)

    factories = {}
    for path, launch in launches.items():
        factory = shared_factory(launch)
        factory.connect("media-configure", configure)
        factories[path] = factory
    return factories


def new_server(port: int) -> GstRtspServer.RTSPServer:
    """Initializes GStreamer and returns a server for 127.0.0.1:PORT, not yet listening."""
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(port))
    return server


def shared_factory(launch: str) -> GstRtspServer.RTSPMediaFactory:
    """A media factory whose pipeline is built once and shared by every client."""
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(True)
    return factory


def serve(server: GstRtspServer.RTSPServer, ready: str) -> None:
    """Listens, prints "READY <ready>" and serves until SIGTERM/SIGINT."""
    if server.attach(None) == 0:
        print("cannot listen", file=sys.stderr)
        sys.exit(1)
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print(f"READY {ready}", flush=True)
    loop.run()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("--gop", type=int, default=25)
    p.add_argument("--fps", type=int, default=25)
    p.add_argument("--size", default="320x240")
    p.add_argument("--bitrate", type=int, default=300)
    p.add_argument("--pattern", default="ball")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--digest", action="store_true")
    p.add_argument("--h264-as", choices=["h264", "h265"], default="h264",
                   help="what /h264 serves (h265: a camera that changed codec)")
    p.add_argument("--slices", type=int, default=1, help="slices per H.264 frame")
    p.add_argument("--blink-period", type=float, default=2.0, help="/blink: seconds between flashes")
    p.add_argument("--blink-on", type=float, default=0.5, help="/blink: seconds each flash lasts")
    p.add_argument("--motion-scenes", action="store_true", help="add /motion and /drift")
    p.add_argument("--motion-period", type=float, default=12.0, help="/motion: cycle, seconds")
    p.add_argument("--motion-from", type=float, default=3.0, help="/motion: box appears at")
    p.add_argument("--motion-to", type=float, default=7.0, help="/motion: box leaves at")
    args = p.parse_args()

    server = new_server(args.port)
    mounts = server.get_mount_points()
    h264 = video("x264", "rtph264pay", args)
    launches = {
        "/h264": f"( {h264} )" if args.h264_as == "h264" else f"( {video('x265', 'rtph265pay', args)} )",
        "/h265": f"( {video('x265', 'rtph265pay', args)} )",
        "/h264aac": f"( {h264} audiotestsrc is-live=true ! audioconvert ! avenc_aac ! rtpmp4gpay name=pay1 pt=97 )",
        "/h264pcmu": f"( {h264} audiotestsrc is-live=true ! audioconvert ! mulawenc ! rtppcmupay name=pay1 pt=0 )",
        "/h264mute": f"( {h264} audiotestsrc is-live=true ! audioconvert ! avenc_aac ! identity drop-probability=1 ! rtpmp4gpay name=pay1 pt=97 )",
    }
    for path, launch in launches.items():
        factory = shared_factory(launch)
        if args.user:
            factory.add_role_from_structure(Gst.Structure.from_string(
                "user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true")[0])
        mounts.add_factory(path, factory)

    if args.user:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "user")
        if args.digest:
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
            auth.add_digest(args.user, args.password, token)
        else:
            basic = GstRtspServer.RTSPAuth.make_basic(args.user, args.password)
            auth.add_basic(basic, token)
        server.set_auth(auth)

    mounts.add_factory("/blink", blink_factory(args))
    if args.motion_scenes:
        for path, factory in motion_factories(args).items():
            mounts.add_factory(path, factory)
    serve(server, str(args.port))


if __name__ == "__main__":
    main()
