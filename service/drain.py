"""Stop a worker without resetting connections the kernel has already queued for it.

Each granian worker has its own SO_REUSEPORT listening socket. A connection still in a socket's
accept queue when the socket closes is reset: a client that had sent its request gets
ECONNRESET. So on SIGTERM or SIGINT each worker first makes its listening sockets drop new
SYNs (a classic BPF socket filter; the client retries and then finds the port closed, an
ordinary refusal), keeps accepting for DRAIN_SECONDS while the queue empties, and only then
runs granian's own graceful stop, which finishes the requests in flight.

The filter drops only a pure SYN. The listener also sees the last ACK of every handshake it has
already answered (and any data the client sends before that ACK lands): dropping those too left
a connection whose SYN came just before the filter half-open until the listener closed, and its
client, which believed itself connected, was reset (1 in ~16 stops under load).
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
# classic BPF opcodes; a TCP socket's filter sees the packet from its TCP header on
BPF_LD_B_ABS, BPF_AND_K, BPF_JEQ_K, BPF_RET_K = 0x30, 0x54, 0x15, 0x06
TCP_FLAGS_OFFSET, SYN, ACK = 13, 0x02, 0x10
DROP, KEEP = 0, 0xFFFFFFFF


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
    """Drop the SYNs that would open new connections; let handshakes already begun finish."""
    program = (SockFilter * 5)(
        SockFilter(BPF_LD_B_ABS, 0, 0, TCP_FLAGS_OFFSET),
        SockFilter(BPF_AND_K, 0, 0, SYN | ACK),
        SockFilter(BPF_JEQ_K, 0, 1, SYN),  # a SYN without ACK: the next line, else skip it
        SockFilter(BPF_RET_K, 0, 0, DROP),
        SockFilter(BPF_RET_K, 0, 0, KEEP),
    )
    fprog = SockFprog(len(program), program)
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
