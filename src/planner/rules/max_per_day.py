"""The `max_per_day` rule kind of version 1 of the format, declared in one place (spec, rules table):

    - max_per_day: {who: A, count: N, kinds: [visit, meeting]}

Each delegate in A attends at most N activities (of those kinds, or any) starting on any one local date.
The domain rule (`planner.domain.MaxPerDay`) stays in the domain, where the mission's version-1 kinds live;
everything else of the kind is here. The model function and the checker function share no code: the first
states the limit over the CP-SAT model's attendance and day literals, the second counts a schedule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from planner.check.common import Placed, Violation, delegate_ref, local_date
from planner.domain import MaxPerDay, Mission, Rule
from planner.domain.rules import RuleKind, register
from planner.domain.spans import instant
from planner.mission.vocabulary import Count, Entry, Id, Text
from planner.text.i18n import SOURCE_LANGUAGE, words_for
from planner.text.messages import listing, rule_name
from planner.text.vocabulary import kind_label

if TYPE_CHECKING:
    from planner.solver.variables import Literal, MissionModel

KEY = "max_per_day"


# --- the mission format ------------------------------------------------------------------------------------


class MaxPerDayBody(Entry):
    """Each delegate of `who` attends at most `count` activities (of `kinds`) per local date."""

    who: Id
    count: Count
    kinds: list[Text] | None = None


def resolve(resolution: Any, body: MaxPerDayBody, path: tuple[Any, ...],
            common: dict[str, Any]) -> Rule | None:
    """max_per_day: its kinds are activities' kinds."""
    # Imported here: the resolver's module reads the schema, which asks the registry for this module.
    from planner.mission.resolve_rules import kinds_known

    if body.kinds and not kinds_known(resolution, body.kinds, path + ("kinds",), common["id"]):
        return None
    return MaxPerDay(**common, count=body.count, kinds=tuple(body.kinds) if body.kinds is not None else None)


def write(rule: MaxPerDay) -> dict[str, Any]:
    return {"count": rule.count, **({"kinds": list(rule.kinds)} if rule.kinds is not None else {})}


# --- the model ---------------------------------------------------------------------------------------------


def add_max_per_day(built: MissionModel, rule: MaxPerDay) -> None:
    """Spec rule `max_per_day`: each delegate attends at most `count` activities (of `kinds`) starting on
    one date."""
    from planner.solver.variables import literal_key

    seen: set[tuple] = set()
    attendance = built.attendance_by_delegate()
    for delegate_id in rule.delegates:
        attended = [(a, literal) for a, literal in attendance.get(delegate_id, [])
                    if rule.kinds is None or built.mission.activities[a].kind in rule.kinds]
        if len(attended) <= rule.count:
            continue
        signature = tuple(sorted((a, literal_key(literal)) for a, literal in attended))
        if built.repeats(signature, seen):
            continue
        guard = built.statement("rule", (rule.id, delegate_id), rule.source)
        by_day: dict[int, list[tuple[str, Literal]]] = defaultdict(list)
        for activity_id, literal in attended:
            for day in built.activities[activity_id].days:
                by_day[day].append((activity_id, literal))
        for day, entries in sorted(by_day.items()):
            if len(entries) <= rule.count:
                continue
            terms = [built.on_day(built.activities[a], literal, day) for a, literal in entries]
            built.model.add(sum(terms) <= rule.count).only_enforce_if(guard)


# --- the checker -------------------------------------------------------------------------------------------


def check_max_per_day(mission: Mission, rule: MaxPerDay,
                      attendance: Mapping[str, list[Placed]]) -> list[Violation]:
    """max_per_day: a delegate attends at most `count` activities (of `kinds`) starting on one local date."""
    violations = []
    for delegate_id in rule.delegates:
        by_date: dict[date, list[Placed]] = defaultdict(list)
        for entry in attendance.get(delegate_id, []):
            if rule.kinds is None or entry.activity.kind in rule.kinds:
                by_date[local_date(entry.start, entry.zone)].append(entry)
        for day, counted in sorted(by_date.items()):
            if len(counted) > rule.count:
                params = {"delegate": delegate_ref(mission, delegate_id),
                          "counted": [e.listed for e in counted], "kinds": rule.kinds, "day": day,
                          "count": rule.count, "rule": rule.id}
                violations.append(Violation(KEY, params, (rule.source,),
                                            tuple(e.id for e in counted), (delegate_id,)))
    return violations


# --- words -------------------------------------------------------------------------------------------------


def message(params: Mapping[str, Any], at: str) -> str:
    kinds = f" of kind {', '.join(params['kinds'])}" if params["kinds"] else ""
    return (f"{params['delegate']} attends {len(params['counted'])} activities{kinds} on {params['day']}, "
            f"more than the {params['count']} that {rule_name(params['rule'], KEY)} allows: "
            f"{listing(params['counted'])}{at}")


def describe(mission: Mission, rule: MaxPerDay) -> dict[str, Any]:
    return {"count": rule.count, "kinds": list(rule.kinds) if rule.kinds else None}


def statement(params: Mapping[str, Any], who: str, language: str = SOURCE_LANGUAGE) -> str:
    words = words_for(language)
    said = {"who": who, "count": params["count"]}
    if not params["kinds"]:
        return words.ngettext("%(who)s attends at most %(count)s activities a day",
                              "%(who)s attends at most %(count)s activities a day", params["count"]) % said
    # The kinds are the mission's codes; a conventional one (`visit`) is said in the reader's words.
    kinds = (params["kinds"] if language == SOURCE_LANGUAGE
             else [kind_label(words, kind) for kind in params["kinds"]])
    return words.ngettext("%(who)s attends at most %(count)s activities of kind %(kinds)s a day",
                          "%(who)s attends at most %(count)s activities of kind %(kinds)s a day",
                          params["count"]) % {**said, "kinds": "/".join(kinds)}


def blocks(mission: Mission, rule: MaxPerDay, activity: Any, delegate_id: str, start: int, end: int,
           same_day: Sequence[tuple[int, int, Any]]) -> dict[str, Any] | None:
    """Why a slot breaks the rule: the delegate already has `count` activities it counts that date."""
    if rule.kinds is not None and activity.kind not in rule.kinds:
        return None
    counted = [item for _, _, item in same_day if rule.kinds is None or item.kind in rule.kinds]
    if len(counted) < rule.count:
        return None
    # The date of the slot in the zone of the activity's leg, as the other activities of that day count.
    day = instant(start, mission.leg_of_activity(activity.id).zone).date().isoformat()
    return {"delegate": mission.delegates[delegate_id].name, "having": len(counted), "day": day,
            "rule": rule.id, "count": rule.count}


def blocked_message(params: Mapping[str, Any], at: str, language: str = SOURCE_LANGUAGE) -> str:
    return words_for(language).ngettext(
        "%(delegate)s already having %(having)s activity on %(day)s (rule %(rule)s: at most %(count)s, "
        "%(source)s)",
        "%(delegate)s already having %(having)s activities on %(day)s (rule %(rule)s: at most %(count)s, "
        "%(source)s)", params["having"]) % {
        "delegate": params["delegate"], "having": params["having"], "day": params["day"],
        "rule": params["rule"], "count": params["count"], "source": at}


KIND = register(RuleKind(
    key=KEY,
    rule_type=MaxPerDay,
    body=MaxPerDayBody,
    resolve=resolve,
    write=write,
    add_to_model=add_max_per_day,
    check=check_max_per_day,
    message=message,
    describe=describe,
    statement=statement,
    blocks=blocks,
    blocked_message=blocked_message,
))
