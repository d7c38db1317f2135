"""Real servers on this machine for tests and benchmarks: a Radicale CalDAV server (its `radicale` package
comes with the test extra) on a free localhost port, one user, its storage in a given folder."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A localhost TCP port nobody listens on (the system picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def local_radicale(folder: Path, user: str, password: str) -> Iterator[str]:
    """Radicale with `user` (htpasswd, plain) and its storage in `folder`, for as long as the `with` lasts;
    yields its URL. A server that does not answer within 30 s is a RuntimeError with what it said."""
    users = folder / "users"
    users.write_text(f"{user}:{password}\n", encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", "", f"--server-hosts=127.0.0.1:{port}",
         "--auth-type=htpasswd", f"--auth-htpasswd-filename={users}", "--auth-htpasswd-encryption=plain",
         f"--storage-filesystem-folder={folder / 'storage'}", "--logging-level=warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    reason = server.stderr.read().decode() if server.stderr else ""
                    raise RuntimeError(f"Radicale did not start: {reason}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
