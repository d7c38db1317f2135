"""B2B matchmaking: meeting requests scheduled into the slots and tables of B2B sessions.

Reads the plain data of `planner.domain.meetings` (a `Brokerage`) and returns a `MeetingSchedule`;
`planner.b2b.solve.schedule_meetings` is the entry point (docs/b2b.md says how it works).
"""
