"""The `accompany` rule (spec rules table): every scheduled activity of the listed kinds that B attends is
attended by A too."""

from __future__ import annotations

from planner.domain import Accompany, Mission
from planner.solver.variables import MissionModel

Companions = dict[str, dict[str, dict[str, list[str]]]]
"""activity → companion → rule id → principals."""


def companions(mission: Mission) -> Companions:
    """activity → companion → rule id → principals: `accompany` applied until nothing changes (a companion
    who is a principal of another rule brings their own companion)."""
    result: Companions = {}
    rules = [r for r in mission.rules if isinstance(r, Accompany)]
    for activity in mission.activities.values():
        possible = set(activity.attendees) | set(activity.optional_attendees)
        brought: dict[str, dict[str, list[str]]] = {}
        changed = True
        while changed:
            changed = False
            for rule in rules:
                if rule.kinds is not None and activity.kind not in rule.kinds:
                    continue
                principals = sorted(d for d in rule.principal_delegates if d in possible or d in brought)
                if not principals:
                    continue
                for companion in rule.delegates:
                    if companion in activity.attendees or companion in principals:
                        continue
                    entry = brought.setdefault(companion, {})
                    if entry.get(rule.id) != principals:
                        entry[rule.id] = principals
                        changed = True
        if brought:
            result[activity.id] = brought
    return result


def add_accompany(built: MissionModel, companions: Companions) -> None:
    """Spec rule `accompany`: every scheduled activity of the listed kinds that B attends is attended by A
    too."""
    model = built.model
    # Chains (a companion who is a principal elsewhere) need the companions' literals in dependency order.
    pending = {(a, c): rules for a, by_companion in companions.items() for c, rules in by_companion.items()}
    fresh: set[tuple[str, str]] = set()
    """Companions in a cycle, given a literal before their principals were linked."""
    while pending:
        progress = False
        for (activity_id, companion), rules in sorted(pending.items()):
            principals = sorted({p for ps in rules.values() for p in ps})
            if any((activity_id, p) not in built.attendance for p in principals):
                continue
            del pending[(activity_id, companion)]
            progress = True
            presence = built.activities[activity_id].presence
            listed = built.attendance.get((activity_id, companion))
            principal_literals = {p: built.attendance[(activity_id, p)] for p in principals}
            # Aliasing only a companion without a literal of its own: an optional attendee's literal may
            # already stand for a companion it brings (aliased above), so it must stay that delegate's.
            if built.simplified and listed is None and (activity_id, companion) not in fresh:
                values = list(principal_literals.values())
                if any(v.index == presence.index for v in values):
                    built.attendance[(activity_id, companion)] = presence
                    continue
                if len({v.index for v in values}) == 1:
                    built.attendance[(activity_id, companion)] = values[0]
                    continue
            literal = listed
            if literal is None or (activity_id, companion) in fresh:
                if literal is None:
                    literal = model.new_bool_var(f"attends:{activity_id}:{companion}")
                    model.add_implication(literal, presence)
                    built.attendance[(activity_id, companion)] = literal
                # Brought only by the rule: attends only when a principal does.
                model.add_bool_or([literal.Not(), *principal_literals.values()])
            for rule_id, rule_principals in sorted(rules.items()):
                rule = built.mission.rule(rule_id)
                guard = built.statement("rule", (rule_id, companion), rule.source)
                for principal in rule_principals:
                    model.add_implication(principal_literals[principal], literal).only_enforce_if(guard)
        if not progress:
            # Only a cycle of companions can remain (A accompanies B, B accompanies A, one of them brought
            # by a third): give each a literal of its own, then link them in the next pass.
            waiting = [key for key in sorted(pending) if key not in built.attendance]
            if not waiting:
                break
            for activity_id, companion in waiting:
                literal = model.new_bool_var(f"attends:{activity_id}:{companion}")
                model.add_implication(literal, built.activities[activity_id].presence)
                built.attendance[(activity_id, companion)] = literal
                fresh.add((activity_id, companion))

