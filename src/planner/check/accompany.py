"""The `accompany` rule kind."""

from __future__ import annotations

from planner.check.common import (
    Placed,
    Violation,
    delegate_ref,
)
from planner.domain import (
    Accompany,
    Mission,
)


def check_accompany(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """accompany: every scheduled activity of the listed kinds that B attends is attended by A too."""
    violations = []
    for rule in mission.rules:
        if not isinstance(rule, Accompany):
            continue
        for entry in placed:
            if rule.kinds is not None and entry.activity.kind not in rule.kinds:
                continue
            principals = [d for d in rule.principal_delegates if d in entry.attendees]
            if not principals:
                continue
            for companion in rule.delegates:
                if companion not in entry.attendees:
                    params = {"companion": delegate_ref(mission, companion),
                              "principals": [delegate_ref(mission, p) for p in principals],
                              "activity": entry.ref, "kind": entry.activity.kind}
                    violations.append(Violation("accompany", params, (rule.source,), (entry.id,),
                                                (companion, *principals)))
    return violations
