"""Stop a worker without resetting connections the kernel has already queued for it.

Each granian worker has its own SO_REUSEPORT listening socket. A connection still in a socket's
accept queue when the socket closes is reset: a client that had sent its request gets
ECONNRESET. So on SIGTERM or SIGINT each worker first makes its listening sockets drop new
SYNs (a classic BPF socket filter that returns 0; the client retries and then finds the port
closed, an ordinary refusal), keeps accepting for DRAIN_SECONDS while the queue empties, and
only then runs granian's own graceful stop, which finishes the requests in flight.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import socket
import sys

DRAIN_SECONDS = 0.5
SO_ATTACH_FILTER = getattr(socket, "SO_ATTACH_FILTER", 26)
BPF_RET_K = 0x06


class SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint32),
    ]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]


def listening_sockets() -> list[socket.socket]:
    """This process's TCP listening sockets (duplicates; the filter is the socket's)."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            sock = socket.socket(fileno=os.dup(int(name)))
        except OSError:  # not a socket, or the listing's own descriptor
            continue
        if sock.type == socket.SOCK_STREAM and sock.family in (socket.AF_INET, socket.AF_INET6):
            if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
                found.append(sock)
                continue
        sock.close()
    return found


def refuse_new_connections(sock: socket.socket) -> None:
    """Drop every packet the kernel would hand this listener: new SYNs are not answered."""
    program = (SockFilter * 1)(SockFilter(BPF_RET_K, 0, 0, 0))
    fprog = SockFprog(1, program)
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, bytes(fprog))


def install(loop: asyncio.AbstractEventLoop) -> None:
    """Put the drain in front of granian's stop handlers on this worker's event loop."""
    handlers = getattr(loop, "_signal_handlers", {})  # asyncio's own registry of handlers
    for sig in (signal.SIGTERM, signal.SIGINT):
        original = handlers.get(sig)
        if original is None:
            continue

        def drain(original: asyncio.Handle = original) -> None:
            print(f"[INFO] newborn-kg: worker {os.getpid()} draining", file=sys.stderr, flush=True)
            for sock in listening_sockets():
                try:
                    refuse_new_connections(sock)
                finally:
                    sock.close()
            loop.call_later(DRAIN_SECONDS, original._run)

        loop.add_signal_handler(sig, drain)
