"""Uploads crafted to make the function reach out, blow up, crash or burn CPU, for the tests
(Tests/TestSupport/HostileInputs.swift names each file and what it does):

  scripts/python -m harness.hostile_inputs DIRECTORY LISTENER_URL LOCAL_VIDEO

Network references point at LISTENER_URL, the local-file playlist at LOCAL_VIDEO. Needs ffmpeg.
"""
import os, struct, subprocess, sys, zlib
directory, url, local = sys.argv[1:4]
def write(name, data):
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)

write("hls.mp4", f"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\n{url}/media.m3u8\n")
write("hls-local-file.mp4", f"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nfile://{local}\n#EXT-X-ENDLIST\n")
write("dash.mp4", '<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" '
      'mediaPresentationDuration="PT1S" minBufferTime="PT1S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">'
      '<Period><AdaptationSet mimeType="video/mp4"><Representation id="1" bandwidth="1000" width="64" height="48" '
      f'codecs="avc1.42c00a"><BaseURL>{url}/video.mp4</BaseURL></Representation></AdaptationSet></Period></MPD>\n')
port = int(url.rsplit(":", 1)[1])
write("sdp.mp4", f"v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=video {port} RTP/AVP 96\n"
      "a=rtpmap:96 H264/90000\n")
write("concat.mp4", f"ffconcat version 1.0\nfile {url}/part.mp4\n")

def one_bit_png(side):
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data
                                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    rows = (b"\0" * (1 + side // 8)) * side
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
write("bomb-8000.mp4", one_bit_png(8000))
write("bomb-16000.mp4", one_bit_png(16000))

# Two 32x24 MJPEG frames in an AVI, then the stream header's dwScale, dwRate, dwStart, dwLength patched.
plain = os.path.join(directory, "two-frames.avi")
subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:s=32x24:r=1", "-frames:v", "2",
                "-c:v", "mjpeg", "-f", "avi", plain], check=True)
avi = open(plain, "rb").read()
os.remove(plain)
def patched(scale, rate, length):
    data = bytearray(avi)
    header = data.find(b"strh") + 8
    struct.pack_into("<IIII", data, header + 20, scale, rate, 0, length)
    return bytes(data)
write("duration-9e18.avi", patched(0x7FFFFFFF, 1, 0xFFFFFFFF))
write("duration-4e9.avi", patched(2100000000, 1, 2))
write("frame-at-2e9s.avi", patched(2100000000, 1, 0))
