"""Rule kinds declared in one module each (planner.domain.rules explains the registry).

Every layer finds these through `planner.domain.rules.rule_kinds()`: the mission format (schema, resolver,
writer), the solver (the constraint family), the checker, the diagnosis and the messages. The four kinds of
version 1 of the format (accompany, max_per_day, min_gap, lunch) shape the core families themselves
(attendance, the day's timeline, travel) and are handled there; kinds that add a constraint of their own are
declared here.
"""

from planner.rules import max_hours

__all__ = ["max_hours"]
