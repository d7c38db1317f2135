"""Rule kinds declared in one module each (planner.domain.rules explains the registry).

Every layer finds these through `planner.domain.rules.rule_kinds()`: the mission format (schema, resolver,
writer), the solver (the constraint family), the checker, the diagnosis and the messages. The kinds of
version 1 of the format that shape the core families themselves (accompany: attendance; min_gap: travel;
lunch: the day's timeline) are handled there; kinds that add a constraint of their own are declared here:
`max_per_day` (of version 1) and `max_hours`.
"""

from planner.rules import max_hours, max_per_day

__all__ = ["max_hours", "max_per_day"]
