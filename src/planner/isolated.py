"""Planning in a child process, so that a crash of the solver's native code cannot take planner down with it
(docs/limits.md, "When the solver crashes").

OR-Tools has been seen to abort the whole process from C++ (or-tools #5288): no Python handler runs, and
the command would die without a word, perhaps halfway through writing. `plan_isolated` runs
`planner.pipeline.plan`, and `replan_isolated` `planner.pipeline.solve_replan`, in a process of its own
(multiprocessing from a fork server, or `spawn`: no inherited threads or locks), streams its progress back
through a pipe, and receives the schedule. If the child dies instead (a signal, an abort, an exit without a
result), the caller gets one `SolverFailure` saying so, and nothing is written. The time limit is the
child's own (`SolveOptions.time_limit`); Ctrl-C is passed on to the child, where it stops the search: the
best schedule found comes back as `Interrupted` (to be written, exit 130), or, outside the search, as a
plain KeyboardInterrupt (nothing to write). A second Ctrl-C ends the child at once.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Imported where used, not here: `planner` imports this module to start the solver's process before
    # anything else (planner.launch), and the domain alone takes a tenth of a second to import.
    from planner.domain import Mission
    from planner.domain.replan import Replan
    from planner.domain.schedule import Schedule
    from planner.pipeline import PlanOptions
    from planner.solver.options import Progress, SolveOptions

SOLVER_MODULES = ("planner.solver_server", "planner.pipeline", "planner.solver.solve", "planner.diagnosis",
                  "planner.b2b.solve", "planner.solver.replan")
"""What planning imports (OR-Tools among them): the fork server imports them once, and each solver child
forked from it has them; the process that only names its options (the command line) never imports them.
`planner.solver_server` first: it ends the server at once when planner ends."""


def _start_method() -> Any:
    """A fork server where there is one: a clean single-threaded process, started once with planner
    imported, which forks each solver child in milliseconds; else `spawn` (a fresh interpreter each time).
    Never a plain fork of planner itself, whose threads (a progress display, a test runner) a fork would
    leave half-copied."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(SOLVER_MODULES))
        return context
    return multiprocessing.get_context("spawn")


_CONTEXT = _start_method()


def _same_planner() -> None:
    """Make the solver's processes import this very planner: the folder it was imported from goes first on
    PYTHONPATH, which the fork server (a new interpreter, which imports planner before it reads the parent's
    sys.path) starts with. A relative entry such as `PYTHONPATH=src` would otherwise resolve against
    whatever the working folder is when the fork server starts, and may find another installed copy."""
    import planner

    root = os.path.dirname(os.path.dirname(os.path.abspath(planner.__file__)))
    entries = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if entries[0] != root:
        os.environ["PYTHONPATH"] = os.pathsep.join([root, *[entry for entry in entries if entry]])


def start_solver_process() -> None:
    """Start the fork server now, so that it imports the solver (a second or so) while this process does
    something else, such as reading the mission; `plan_isolated` then forks its child at once. Nothing
    to do where there is no fork server (a solver child is then a fresh interpreter anyway)."""
    if _CONTEXT.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        _same_planner()
        # The fork server shares the terminal's process group, so Ctrl-C reaches it too: it ignores SIGINT
        # once its imports are done, but during them (half a second) it would die with a traceback. It
        # inherits an ignored SIGINT through its exec; the solver's child sets its own handler (`_child`).
        ignoring = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if ignoring else None
        try:
            forkserver.ensure_running()
        finally:
            if ignoring:
                signal.signal(signal.SIGINT, previous)


def plan_isolated(mission: Mission, options: SolveOptions | PlanOptions, *,
                  on_phase: Callable[[str], None] | None = None,
                  on_programme: Callable[[Schedule], None] | None = None,
                  on_started: Callable[[], None] | None = None) -> Schedule:
    """`planner.pipeline.plan(mission, options)` in a child process; a crash of the child: `SolverFailure`.
    `on_programme` hears of the programme before its B2B meetings are matched (as `plan` tells it);
    `on_started` is called once the child has the mission (what the caller does meanwhile then no longer
    delays the solver's start)."""
    from planner.pipeline import PlanOptions

    plan_options = options if isinstance(options, PlanOptions) else PlanOptions(options)
    return _isolated(mission, plan_options, plan_options.programme, on_phase, on_programme, on_started)


def replan_isolated(replan: Replan, options: SolveOptions, *,
                    on_phase: Callable[[str], None] | None = None) -> Schedule:
    """`planner.pipeline.solve_replan(replan, options)` in a child process; a crash: `SolverFailure`."""
    return _isolated(replan, options, options, on_phase)


def _isolated(problem: Mission | Replan, options: PlanOptions | SolveOptions, programme: SolveOptions,
              on_phase: Callable[[str], None] | None,
              on_programme: Callable[[Schedule], None] | None = None,
              on_started: Callable[[], None] | None = None) -> Schedule:
    """Plan a mission (or re-plan) in a child process, relaying its progress and phases."""
    from planner.domain.errors import SolverFailure
    from planner.pipeline import PlanOptions

    on_progress = programme.on_progress
    # Callbacks stay here: the child sends what they would hear through the pipe.
    quiet = replace(programme, on_progress=None)
    sent = replace(options, programme=quiet) if isinstance(options, PlanOptions) else quiet
    _same_planner()
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, name="planner-solver",
                             args=(problem, sent, sender, on_progress is not None, on_phase is not None,
                                   on_programme is not None))
    state = {"ready": False, "interrupts": 0}

    def interrupted(number: int, frame: Any) -> None:
        # The child runs in a process group of its own, so Ctrl-C reaches planner alone: passed on once,
        # it stops the search (the best schedule found is kept); a second one ends the child.
        state["interrupts"] += 1
        if not state["ready"] or state["interrupts"] > 1:
            if child.pid is not None:  # not while the fork server is still handing it the mission
                with contextlib.suppress(ProcessLookupError):
                    child.kill()
            raise KeyboardInterrupt
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGINT)

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, interrupted)
    try:
        try:
            child.start()
        except (BrokenPipeError, ConnectionResetError):
            # The child died while it was being handed the mission (the fork server writes it through a
            # pipe): the same failure as a death mid-solve.
            if child.pid is not None:
                child.join()
            raise SolverFailure(_death(child.exitcode)) from None
        sender.close()  # the child holds the only writer: end of file once it is gone
        if on_started is not None:
            on_started()
        return _receive(receiver, child, state, on_progress, on_phase, on_programme)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        if child.pid is not None:  # started
            if child.is_alive():
                child.kill()
            child.join()
        receiver.close()


def _receive(receiver: Connection, child: Any, state: dict[str, Any],
             on_progress: Callable[[Progress], None] | None,
             on_phase: Callable[[str], None] | None,
             on_programme: Callable[[Schedule], None] | None = None) -> Schedule:
    from planner.domain.errors import InputErrors, Interrupted, SolverFailure

    while True:
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError):
            child.join()
            raise SolverFailure(_death(child.exitcode)) from None
        if kind == "ready":
            state["ready"] = True
        elif kind == "progress" and on_progress is not None:
            on_progress(payload)
        elif kind == "phase" and on_phase is not None:
            on_phase(payload)
        elif kind == "programme" and on_programme is not None:
            on_programme(payload)
        elif kind == "schedule":
            if state["interrupts"]:
                if not payload.has_programme:  # stopped before a first programme: keep the previous folder
                    raise KeyboardInterrupt
                raise Interrupted(payload)  # the search stopped at Ctrl-C: its best, to write all the same
            return payload
        elif kind == "interrupted":
            raise KeyboardInterrupt
        elif kind == "input-errors":
            raise InputErrors(payload)
        elif kind == "failure":
            raise SolverFailure(payload)


def _death(code: int | None) -> str:
    """The message for a child that ended without a schedule."""
    if code is not None and code < 0:
        try:
            how = f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"was killed by signal {-code}"
    else:
        how = f"ended with status {code}" if code is not None else "ended"
    return (f"the solver process {how} before it returned a schedule (a crash of OR-Tools' native code, "
            "or the process was ended from outside); nothing was written. Try again, perhaps with other "
            "--workers or --seed, and report the mission file if it happens again")


def _child(problem: Mission | Replan, options: PlanOptions | SolveOptions, sender: Connection, progress: bool,
           phases: bool, programme_ahead: bool = False) -> None:
    """The child's work: plan or re-plan, and send progress, then the schedule (or what went wrong)."""
    os.setpgrp()  # out of the terminal's process group: Ctrl-C comes through the parent, once
    # The fork server ignores SIGINT, and its children inherit that: Ctrl-C passed on by the parent must
    # stop this one (the solve's own handler keeps its best schedule; elsewhere KeyboardInterrupt).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from planner.domain.errors import InputErrors, SolverFailure
    from planner.domain.replan import Replan
    from planner.pipeline import PlanOptions, plan, solve_replan

    def send(message: tuple[str, Any]) -> None:
        try:
            sender.send(message)
        except (BrokenPipeError, ConnectionResetError):
            # planner has gone (Ctrl-C before this process was ready, and it ended): nobody to tell.
            os._exit(1)

    def send_progress(update: Progress) -> None:
        send(("progress", update))

    def send_phase(text: str) -> None:
        send(("phase", text))

    def send_programme(schedule: Schedule) -> None:
        send(("programme", schedule))

    on_progress = send_progress if progress else None
    on_phase = send_phase if phases else None
    try:
        send(("ready", None))
        if isinstance(problem, Replan):
            programme = options.programme if isinstance(options, PlanOptions) else options
            schedule = solve_replan(problem, replace(programme, on_progress=on_progress), on_phase=on_phase)
        else:
            plan_options = options if isinstance(options, PlanOptions) else PlanOptions(options)
            plan_options = replace(plan_options, programme=replace(plan_options.programme,
                                                                   on_progress=on_progress))
            schedule = plan(problem, plan_options, on_phase=on_phase,
                            on_programme=send_programme if programme_ahead else None)
    except InputErrors as failure:
        send(("input-errors", failure.errors))
    except SolverFailure as failure:
        send(("failure", str(failure)))
    except KeyboardInterrupt:  # outside the search (reading, checking, diagnosing): nothing to keep
        send(("interrupted", None))
    except Exception as error:  # noqa: BLE001 - a bug in the child is reported by the parent, not lost
        send(("failure", f"the solver process failed ({type(error).__name__}: {error}); "
                         "nothing was written; report the mission file"))
    else:
        send(("schedule", schedule))
    finally:
        sender.close()
