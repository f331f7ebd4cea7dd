"""A seccomp filter that takes the network away from a process, with or without root.

Installed in each query child before it runs any query: from then on `socket()` fails with
EPERM for every address family but AF_UNIX (so no TCP, UDP, DNS or raw socket can be made),
io_uring cannot be set up (it could open sockets behind the filter's back), and syscalls of a
foreign ABI (i386 via int 0x80, x32) are refused. It needs no capability: PR_SET_NO_NEW_PRIVS
lets an ordinary process filter itself, and the filter is inherited by every thread the engine
starts later. Oxigraph's SERVICE client therefore fails at its first connection attempt.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
LD_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
JGE = 0x35  # BPF_JMP | BPF_JGE | BPF_K
RET = 0x06  # BPF_RET | BPF_K
ALLOW = 0x7FFF0000
DENY = 0x00050000 | errno.EPERM  # SECCOMP_RET_ERRNO
AF_UNIX = 1
X32_BIT = 0x40000000
# machine -> (AUDIT_ARCH_*, socket, io_uring_setup, has the x32 ABI)
ARCHES = {
    "x86_64": (0xC000003E, 41, 425, True),
    "aarch64": (0xC00000B7, 198, 425, False),
}


class Unsupported(OSError):
    """This machine or kernel cannot install the filter."""


def program(machine: str) -> list[tuple[int, int, int, int]]:
    """The BPF program as (code, jt, jf, k) instructions for this machine."""
    if machine not in ARCHES:
        raise Unsupported(f"no seccomp network filter for {machine}")
    arch, socket_nr, io_uring_nr, x32 = ARCHES[machine]
    prog = [
        (LD_ABS, 0, 0, 4),  # seccomp_data.arch
        (JEQ, 1, 0, arch),
        (RET, 0, 0, DENY),
        (LD_ABS, 0, 0, 0),  # seccomp_data.nr
    ]
    if x32:
        prog += [(JGE, 0, 1, X32_BIT), (RET, 0, 0, DENY)]
    prog += [
        (JEQ, 0, 1, io_uring_nr),
        (RET, 0, 0, DENY),
        (JEQ, 0, 3, socket_nr),
        (LD_ABS, 0, 0, 16),  # low 32 bits of args[0], the address family
        (JEQ, 1, 0, AF_UNIX),
        (RET, 0, 0, DENY),
        (RET, 0, 0, ALLOW),
    ]
    return prog


def deny_network() -> None:
    """Install the filter on the calling process (irreversibly); raise Unsupported if it can't."""
    prog = program(platform.machine())
    raw = b"".join(struct.pack("HBBI", *instruction) for instruction in prog)
    buffer = ctypes.create_string_buffer(raw, len(raw))

    class Fprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = Fprog(len(prog), ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise Unsupported(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise Unsupported(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")
