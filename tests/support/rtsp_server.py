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
Prints "READY <port>" on stdout once listening. Stops on SIGTERM/SIGINT.
bench/source.py builds its server with the helpers below (new_server, shared_factory, serve).
"""
import argparse
import signal
import sys

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

    serve(server, str(args.port))


if __name__ == "__main__":
    main()
