"""`python bench/serve_project.py PORT WORKERS [on|off|buffered]`: the project's `serve`."""

from __future__ import annotations

import sys

import access_log  # bench/access_log.py


def main(port: int, workers: int, log: str) -> None:
    from service import create_app
    from service.server import serve

    access_log.apply(log)
    serve(create_app(), "127.0.0.1", port, workers)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), (sys.argv[3:4] or ["on"])[0])
