"""planner: from one readable mission file to a valid, optimised programme."""

__version__ = "0.1.0"

INTERRUPTED = 130
"""The exit status of a command ended by Ctrl-C (128 + SIGINT), whether or not the best found by then was
written. Here, in the package itself, because both planner.cli (Ctrl-C during a command) and planner.launch
(Ctrl-C before the command's handler is in place) give it: launch, the layer above cli, must not import the
command line before it has started the solver's process, and cli may not import launch."""
