"""The solver's fork server ends at once when planner ends (planner.isolated preloads this module first).

The fork server (planner.isolated) holds OR-Tools, pandas and numpy; when the command that started it ends,
it would free them one object at a time (a fifth of a second after `planner solve` on the flagship) while
it still holds the command's output open, so that whatever reads that output to its end (a pipe, a script
that runs planner) waited for it. It has nothing to save: its exit handlers end it with `os._exit`, as
planner.launch ends the command itself.
"""

from __future__ import annotations

import atexit
import os
import sys

FORK_SERVER = "from multiprocessing.forkserver import main"
"""How multiprocessing starts a fork server (`python -c "from multiprocessing.forkserver import main; …"`)."""


def in_fork_server() -> bool:
    """Whether this process is a multiprocessing fork server: anywhere else (a test that imports every
    module, say) this module must not end the process."""
    return any(argument.startswith(FORK_SERVER) for argument in sys.orig_argv)


if in_fork_server():
    atexit.register(os._exit, 0)
