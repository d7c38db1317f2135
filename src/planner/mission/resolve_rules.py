"""Pass 3, rules: one rule key per entry, unique rule ids, `who`/`with` defined; one function per rule kind
builds its domain rule (the shape a rule-kind registry will take them in).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from difflib import get_close_matches
from typing import Any

from planner.domain import Accompany, Lunch, MinGap, Rule, TimeOfDayRange
from planner.domain.rules import rule_kinds
from planner.mission.hints import listing
from planner.mission.positions import DocumentPath
from planner.mission.resolution import Resolution
from planner.mission.schema import RULE_KINDS, AccompanyBody, LunchBody, MinGapBody
from planner.text.format import format_clock, format_duration


def resolve_rules(resolution: Resolution) -> None:
    """rules: exactly one rule key per entry; `who`/`with` defined; rule ids unique."""
    ids: dict[str, DocumentPath] = {}
    automatic = {
        f"{kind}-{index + 1}": index
        for index, entry in resolution.shapes.rules
        if entry.id is None
        for kind in RULE_KINDS
        if getattr(entry, kind) is not None
    }
    for index, entry in resolution.shapes.rules:
        path = ("rules", index)
        present = [kind for kind in RULE_KINDS if getattr(entry, kind) is not None]
        if len(present) != 1:
            if not present and resolution.report.faulty_within(path):
                continue  # its rule cell already said to name no rule kind (`acompany`)
            found = f"several rule keys ({listing(present)})" if present else "no rule key"
            name = resolution.report.wording.entry(path, "rule")
            resolution.report.add(path, resolution.report.wording.either(
                f"{name} has {found}; write exactly one of {listing(RULE_KINDS)} per entry "
                "(one rule per `- ` line)",
                f"{name} names no rule; write one of {listing(RULE_KINDS)} in its `rule` cell"))
            continue
        kind = present[0]
        rule_id = entry.id or f"{kind}-{index + 1}"
        if entry.id is not None and automatic.get(entry.id, index) != index:
            resolution.report.add(
                path + ("id",),
                f"the rule id `{entry.id}` is the automatic id of rule "
                f"{automatic[entry.id] + 1} (`<kind>-<position>`); choose another, "
                f"e.g. `{entry.id}-b`",
            )
            continue
        if rule_id in ids:
            resolution.duplicate(path + (("id",) if entry.id else ()), "rule", rule_id, ids[rule_id])
            continue
        ids[rule_id] = path
        body = getattr(entry, kind)
        delegates = resolution.person(body.who, path + (kind, "who"))
        if not delegates and body.who not in resolution.groups:
            continue
        common: dict[str, Any] = {
            "id": rule_id,
            "who": body.who,
            "delegates": tuple(sorted(delegates)),
            "source": resolution.source(path),
        }
        build = RULE_BUILDERS.get(kind) or rule_kinds()[kind].resolve
        rule = build(resolution, body, path + (kind,), common)
        if rule is not None:
            resolution.rules.append(rule)


def accompany_rule(
    resolution: Resolution, body: AccompanyBody, path: DocumentPath, common: dict[str, Any]
) -> Rule | None:
    """accompany: its kinds are activities' kinds; `with` names a delegate or a group."""
    if body.kinds and not kinds_known(resolution, body.kinds, path + ("kinds",), common["id"]):
        return None
    principals = resolution.person(body.with_, path + ("with",))
    if not principals and body.with_ not in resolution.groups:
        return None
    return Accompany(
        **common,
        principal=body.with_,
        principal_delegates=tuple(sorted(principals)),
        kinds=tuple(body.kinds) if body.kinds is not None else None,
    )


def min_gap_rule(
    resolution: Resolution, body: MinGapBody, path: DocumentPath, common: dict[str, Any]
) -> Rule | None:
    """min_gap: nothing more to resolve than `who`."""
    return MinGap(**common, gap=body.gap)


def lunch_rule(
    resolution: Resolution, body: LunchBody, path: DocumentPath, common: dict[str, Any]
) -> Rule | None:
    """lunch: the duration fits between the ends of `between`."""
    start, end = body.between
    if body.duration > end - start:
        resolution.report.add(
            path + ("duration",),
            f"rule `{common['id']}`: a lunch of {format_duration(body.duration)} does not fit between "
            f"{format_clock(start)} and {format_clock(end)}; shorten it or widen `between`",
        )
        return None
    return Lunch(**common, between=TimeOfDayRange(start, end), duration=body.duration)


RULE_BUILDERS: dict[str, Callable[[Resolution, Any, DocumentPath, dict[str, Any]], Rule | None]] = {
    "accompany": accompany_rule,
    "min_gap": min_gap_rule,
    "lunch": lunch_rule,
}
"""Rule kind of version 1 → the function that builds its domain rule from its validated entry (None after an
error); the registry's kinds (planner.domain.rules) bring their own."""


def kinds_known(resolution: Resolution, kinds: Sequence[str], path: DocumentPath, rule_id: str) -> bool:
    """A listed kind that no activity has but that is close to one that does is a misspelling: the rule
    would silently apply to nothing. A kind far from every used one is kept (a rule may be written
    before its activities)."""
    used = {activity.kind for _, activity in resolution.shapes.activities}
    fine = True
    for position, kind in enumerate(kinds):
        if kind in used:
            continue
        suggestion = get_close_matches(kind, sorted(used), n=1, cutoff=0.75)
        if suggestion:
            resolution.report.add(
                path + (position,),
                f"rule `{rule_id}`: no activity has the kind `{kind}`; did you mean `{suggestion[0]}`?",
            )
            fine = False
    return fine
