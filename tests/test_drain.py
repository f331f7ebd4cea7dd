"""The stop's first step: a listener that drops new SYNs while its queue is still accepted."""

import socket

import pytest

from service.drain import listening_sockets, refuse_new_connections


def test_a_filtered_listener_still_accepts_its_queue_and_ignores_new_syns():
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    queued = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        found = listening_sockets()
        assert port in [s.getsockname()[1] for s in found]
        for sock in found:
            if sock.getsockname()[1] == port:
                refuse_new_connections(sock)
            sock.close()
        accepted, _ = listener.accept()  # the queued connection is served, not reset
        accepted.sendall(b"ok")
        assert queued.recv(2) == b"ok"
        accepted.close()
        with pytest.raises(TimeoutError):  # the SYN is dropped: no answer, no reset
            socket.create_connection(("127.0.0.1", port), timeout=0.5)
    finally:
        queued.close()
        listener.close()


def test_a_handshake_begun_before_the_filter_still_completes():
    # TCP_DEFER_ACCEPT keeps the connection half-open on the server (a request socket) until
    # the client's first data arrives: the window a SIGTERM can fall into under load. Those
    # packets pass the listener's filter too; the filter must let them through, or the client,
    # which believes itself connected, is reset when the listener closes.
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 5)
    client = socket.create_connection(("127.0.0.1", listener.getsockname()[1]), timeout=5)
    try:
        refuse_new_connections(listener)
        client.sendall(b"GET")
        listener.settimeout(3)
        accepted, _ = listener.accept()
        assert accepted.recv(3) == b"GET"
        accepted.close()
    finally:
        client.close()
        listener.close()
