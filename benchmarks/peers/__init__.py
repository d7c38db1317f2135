"""The tools an organiser would otherwise use, each fed the same missions as planner.

- `greedy`: a first-fit planner, what an organiser does by hand in a spreadsheet;
- `jobshop`: the mission translated to PyJobShop (a CP-SAT scheduling library);
- `conference`: the mission translated to conference-scheduler (PuLP/CBC, PyCon UK's scheduler);
- `timeline`: the geometry all three share (minutes on one clock, where an activity may lie);
- `objectives`: planner's three soft objectives, measured on any schedule the same way.
"""
