"""tests/peers/python/busy.py: a CPython workload with a known profile, for the python, pdie
and memory --lang python tests (austin 1.0.1 needs CPython <= 3.8; py-spy reads any).

    python3.8 busy.py SECONDS [--alloc] [--listen]

Burns CPU about 75/25 in py_hot_function / py_warm_function. --alloc instead makes
py_retaining_allocator allocate 1 KiB blocks and keep them (up to 256 MiB), so memory
profiles show it. --listen opens a TCP socket on 127.0.0.1 (a free port), as a stand-in
for the PDIE service, so that `pdie --url` can find this process by its port.
Prints {"ready":true,"pid":P,"port":N} when running; exits by itself after SECONDS (<= 600).
"""
import json
import os
import socket
import sys
import time

sink = 0
retained = []


def py_hot_function(ms):
    global sink
    until = time.perf_counter() + ms / 1000.0
    x = sink | 1
    while time.perf_counter() < until:
        for _ in range(200):
            x = (x * 1103515245 + 12345) & 0xFFFFFFFF
    sink = x


def py_warm_function(ms):
    global sink
    until = time.perf_counter() + ms / 1000.0
    x = sink | 3
    while time.perf_counter() < until:
        for _ in range(200):
            x = (x * 214013 + 2531011) & 0xFFFFFFFF
    sink = x


def py_retaining_allocator():
    if len(retained) < 256 * 1024:
        for i in range(512):
            retained.append(bytearray(1024))
    time.sleep(0.002)


def main():
    args = sys.argv[1:]
    if not args:
        sys.stderr.write("usage: busy.py SECONDS [--alloc] [--listen]\n")
        return 2
    seconds = float(args[0])
    if not 0 < seconds <= 600:
        sys.stderr.write("busy.py: SECONDS must be in (0, 600]\n")
        return 2
    port = None
    if "--listen" in args:
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.bind(("127.0.0.1", 0))
        srv.listen(8)
        port = srv.getsockname()[1]
    sys.stdout.write(json.dumps({"ready": True, "pid": os.getpid(), "port": port}) + "\n")
    sys.stdout.flush()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if "--alloc" in args:
            py_retaining_allocator()
        else:
            py_hot_function(6)
            py_warm_function(2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
