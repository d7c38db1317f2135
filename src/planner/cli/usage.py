"""Usage errors (an unknown option or command, a missing argument, a value an option refuses) said in
planner's own words: `error: WHERE: WHAT`, as every other bad input, with a did-you-mean where one is
near and the `--help` to read; exit status 2, as click gives them.

click prints its own box instead (`Usage: …`, `Try '… --help'`, `Error: No such option: -q`), in another
style than the rest of planner's errors, and suggests nothing for a short option (`-q` for `--quiet`).
`--help` and a command given no arguments (its help) are click's, unchanged.
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import IO, Any

from rich.markup import escape
from typer._click import exceptions as click_errors  # typer's own copy of click: not click's errors
from typer._click.core import Context
from typer.core import TyperGroup

from planner.text.control import visible
from planner.views.terminal import literal_console

errors_console = literal_console(stderr=True)


class CommandLineError(click_errors.UsageError):
    """A usage error of click's, shown in planner's style (`show`); the same exit status, 2."""

    def __init__(self, original: click_errors.UsageError, command: str) -> None:
        super().__init__(original.message, original.ctx)
        self.original = original
        self.command = command
        """The command whose arguments were wrong (`planner solve`), as typed."""
        self.exit_code = original.exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        where, what = where_and_what(self.original, self.command)
        command = self.command
        errors_console.print(f"[bold red]error[/]: {escape(visible(where))}: {escape(visible(what))}",
                             highlight=False, soft_wrap=True)
        errors_console.print(f"1 error; nothing was done. {escape(command)} --help says what it takes.",
                             highlight=False, soft_wrap=True)


def where_and_what(error: click_errors.UsageError, command: str) -> tuple[str, str]:
    """What the error line says: where on the command line, and what is wrong there."""
    if isinstance(error, click_errors.NoSuchOption):
        near = suggestions(error)
        mean = f"; did you mean {' or '.join(near)}?" if near else ""
        return error.option_name, f"{command} has no such option{mean}"
    if isinstance(error, click_errors.BadParameter) and error.param is not None:
        # click says "Invalid value for '--time-limit': …": the option goes where planner puts a place.
        param = error.param
        option = param.param_type_name == "option"
        where = max(param.opts, key=len) if option else (param.name or "").upper()
        if isinstance(error, click_errors.MissingParameter):
            return "command line", f"{command} needs its {where} {'option' if option else 'argument'}"
        return where, error.message
    message = error.format_message().strip().removesuffix(".")
    if isinstance(error, click_errors.BadOptionUsage):  # "Option '--out' requires an argument."
        return error.option_name, message.removeprefix(f"Option '{error.option_name}' ")
    # "No such command 'solv'. Did you mean 'solve'?" (typer's suggestion): one sentence, as planner's.
    return "command line", (message[:1].lower() + message[1:]).replace(". Did you mean", "; did you mean")


def suggestions(error: click_errors.NoSuchOption) -> list[str]:
    """The options `error.option_name` may have meant: click's near spellings, or, for a short option
    (`-q`), the long ones that begin with its letter (`--quiet`), which click's spelling match misses."""
    if error.possibilities:
        return sorted(option for option in error.possibilities if option != "--help")
    name = error.option_name
    if error.ctx is None:
        return []
    options = [option for param in error.ctx.command.params
               if param.param_type_name == "option" and not getattr(param, "hidden", False)
               for option in param.opts if option.startswith("--") and option != "--help"]
    if len(name) == 2 and name.startswith("-") and name[1].isalpha():
        return sorted(option for option in options if option[2:3] == name[1].lower())
    return sorted(get_close_matches(name, options, n=3))


class PlannerGroup(TyperGroup):
    """planner's typer group: a usage error, its own or a command's, as `CommandLineError`."""

    def make_context(self, info_name: str | None, args: list[str], parent: Context | None = None,
                     **extra: Any) -> Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click_errors.UsageError as error:
            raise _planner_style(error, info_name or "planner") from None

    def invoke(self, ctx: Context) -> Any:
        # A command's arguments are read here, when the group hands them to the command.
        try:
            return super().invoke(ctx)
        except click_errors.UsageError as error:
            command = " ".join(filter(None, (ctx.command_path, ctx.invoked_subcommand)))
            raise _planner_style(error, command) from None


def _planner_style(error: click_errors.UsageError, command: str) -> click_errors.UsageError:
    """`error` as planner says it; a command given no arguments shows its help, as click does."""
    if isinstance(error, (CommandLineError, click_errors.NoArgsIsHelpError)):
        return error
    return CommandLineError(error, command)
