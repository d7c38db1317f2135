"""Rule kinds open for extension: the registry every layer consults for the rules it does not know itself.

A rule kind is declared in one module (the built-in ones in `planner.rules`, others in any installed
package through the `planner.rule_kinds` entry-point group). The declaration bundles what each layer needs
of the kind, so that adding one touches that module and its tests:

- the mission format: the pydantic model of its entry (`body`) and the function that resolves a validated
  entry into a domain rule (`resolve`), and the entry written back for `planner convert` (`write`);
- the solver: the constraint family that enforces it (`add_to_model`);
- the checker: the plain-Python function that finds its violations (`check`), sharing no code with the
  model function;
- diagnosis and text: what the rule demands as a conflict names it (`describe`, plain data) and its
  sentence (`statement`), the English sentence of its violation (`message`), and why it blocks a left-out
  activity (`blocks`, plain data, optional) and that sentence (`blocked_message`).

The registry is the only place where a lower layer reaches a declaration that lives above it: it imports
the declaring modules by name when first asked (`rule_kinds()`), the way plug-ins are found. Each layer
passes the kind its own context (the model builder, the checker's placed activities, the resolver), typed
loosely here because the domain knows none of those layers.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from planner.domain.mission import Rule

BUILT_IN_MODULES = ("planner.rules",)
"""Modules that declare the built-in rule kinds when imported."""

VERSION_1_KINDS = ("accompany", "max_per_day", "min_gap", "lunch")
"""The rule kinds of version 1 of the format, in the spec's order. `max_per_day` is declared through the
registry (planner/rules/max_per_day.py); the other three shape the core families and are handled there."""

ENTRY_POINT_GROUP = "planner.rule_kinds"
"""Installed packages add rule kinds by naming a module in this group (pyproject `[project.entry-points]`)."""


@dataclass(frozen=True, slots=True)
class RuleKind:
    """Everything planner needs to know of one kind of rule, declared in one place."""

    key: str
    """The key of the rule in a mission file (`max_hours`), also its violation code."""
    rule_type: type[Rule]
    body: type
    """The pydantic model of the entry under the key (planner.mission.vocabulary.Entry)."""
    resolve: Callable[[Any, Any, tuple[Any, ...], dict[str, Any]], Rule | None]
    """(resolution, validated body, document path, common fields id/who/delegates/source) → the rule, or None
    after reporting an error through the resolution."""
    write: Callable[[Any], dict[str, Any]]
    """The rule → its entry's keys and values as a person writes them (without `who`)."""
    add_to_model: Callable[[Any, Any], None]
    """(the mission's model under construction, the rule) → adds the constraints that enforce it."""
    check: Callable[[Any, Any, Mapping[str, list[Any]]], list[Any]]
    """(mission, rule, each delegate's placed activities in time order) → its violations."""
    message: Callable[[Mapping[str, Any], str], str]
    """(a violation's parameters, ' (file:line:column)' or '') → the English sentence."""
    describe: Callable[[Any, Any], dict[str, Any]]
    """(mission, rule) → what the rule demands, as JSON values: the parameters of `statement` (a conflict's
    `params` keep them)."""
    statement: Callable[..., str]
    """(`describe`'s parameters, the names of the delegates concerned[, the reader's language]) → the rule in
    the mission's words (a conflict's minimal set): English with two arguments (schedule.json's sentence);
    a kind that speaks other languages takes the reader's as a third (a kind that does not leaves the page
    of a mission with no programme showing the English sentence)."""
    blocks: Callable[..., dict[str, Any] | None] | None = None
    """(mission, rule, activity, delegate id, start, end, the delegate's other activities that day as
    (start, end, activity)) → why placing the activity there breaks the rule, as the JSON parameters of
    `blocked_message`, or None (left-out reasons)."""
    blocked_message: Callable[[Mapping[str, Any], str, str], str] | None = None
    """(`blocks`'s parameters, the rule's 'file:line:column', the reader's language, `en` for schedule.json's
    sentence) → that reason in words (programme.xlsx shows it in the mission's language)."""


_KINDS: dict[str, RuleKind] = {}
_loaded = False


def register(kind: RuleKind) -> RuleKind:
    """Declares a rule kind; its key must be new."""
    if kind.key in _KINDS and _KINDS[kind.key] is not kind:
        raise ValueError(f"the rule kind {kind.key!r} is declared twice")
    _KINDS[kind.key] = kind
    return kind


def rule_kinds() -> Mapping[str, RuleKind]:
    """Every declared rule kind by key, the built-in ones first, then installed ones in name order."""
    global _loaded
    if not _loaded:
        _loaded = True
        for module in BUILT_IN_MODULES:
            importlib.import_module(module)
        for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda point: point.name):
            point.load()
    return _KINDS


def kind_of(rule: Rule) -> RuleKind | None:
    """The declaration of `rule`'s kind, or None for the kinds the core families handle themselves."""
    return rule_kinds().get(rule.kind)
