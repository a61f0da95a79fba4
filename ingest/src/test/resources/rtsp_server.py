#!/usr/bin/env python3
"""A real RTSP server for ingest's reconnect test: GStreamer's gst-rtsp-server serving one H.264 MP4
file in a loop at rtsp://127.0.0.1:PORT/live (RTP over TCP or UDP, as the client asks).

usage: rtsp_server.py PORT FILE.mp4
Needs Debian packages python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-good
gstreamer1.0-plugins-bad.
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

port, path = sys.argv[1], sys.argv[2]
Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
# Shared: every client sees the same live stream, like a camera. Looping filesrc keeps it "live".
factory.set_launch(
    "( multifilesrc location=%s loop=true ! qtdemux ! h264parse config-interval=-1 "
    "! rtph264pay name=pay0 pt=96 )" % path
)
factory.set_shared(True)
server.get_mount_points().add_factory("/live", factory)
if server.attach(None) == 0:
    sys.exit("could not bind RTSP port " + port)
print("rtsp server ready on port", port, flush=True)
GLib.MainLoop().run()
