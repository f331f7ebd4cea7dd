"""The query-process pool: refuses at once when full, children hold no server sockets, run nice."""

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from service.sparql.isolation import Busy, Runner


def wait_for_file(path):
    while not Path(path).exists():
        time.sleep(0.01)
    return "done"


def test_a_full_pool_refuses_at_once_then_serves_again(tmp_path):
    runner = Runner(wait_for_file, size=1, offline=False)
    gate = tmp_path / "gate"
    results = []
    worker = threading.Thread(target=lambda: results.append(runner.run(str(gate), 30)))
    worker.start()
    while runner.owner != os.getpid() or runner.idle:  # until the thread holds the only child
        time.sleep(0.01)
    with pytest.raises(Busy):
        runner.run(str(gate), 30)
    gate.touch()
    worker.join()
    assert results == ["done"]
    assert runner.run(str(gate), 30) == "done"


def test_children_close_the_servers_sockets_and_yield_the_cpu():
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        runner = Runner(lambda job: job, size=1, offline=False)
        assert runner.run("ping", 30) == "ping"
        child = runner.idle[0]
        fds = {int(n) for n in os.listdir(f"/proc/{child.pid}/fd")}
        assert fds == {0, 1, 2, child_pipe_fd(child.pid, fds)}
        assert os.sched_getscheduler(child.pid) == os.SCHED_IDLE
    finally:
        listener.close()


def child_pipe_fd(pid, fds):
    """The one descriptor above stderr: the pipe to the parent (a socket pair)."""
    (extra,) = fds - {0, 1, 2}
    assert os.readlink(f"/proc/{pid}/fd/{extra}").startswith("socket:")
    return extra
