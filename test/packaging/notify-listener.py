"""Test double of systemd's notification socket: binds a unix datagram socket at argv[1] and
prints every message received as one JSON line {"t": seconds since start, "msg": text}."""
import json
import socket
import sys
import time

sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sys.argv[1])
print(json.dumps({"t": 0, "msg": "LISTENING"}), flush=True)
start = time.monotonic()
while True:
    data = sock.recv(65536)
    print(json.dumps({"t": time.monotonic() - start, "msg": data.decode("utf-8", "replace")}), flush=True)
