"""Why no programme exists, and why an activity was left out (issue 7).

One entry point per need, called by the solver's pipeline:
- `precheck`: fast checks before solving; a non-empty answer means infeasible without running CP-SAT;
- `diagnose` (and `run_diagnosis`, with what it cost): after CP-SAT proved infeasibility, a minimal set of
  input statements that cannot hold together, found with assumption literals and shrunk by deletion;
- `left_out_reasons` (`unscheduled_reasons`: in words only): for each optional activity left out, what it
  would have displaced or what blocks it.

Each result is structured, as the checker's violations are: a code, its parameters (JSON values) and the
positions of the statements involved; `planner.text.conflicts` and `planner.text.left_out` say them.
"""

from planner.diagnosis.core import Diagnosis, diagnose, run_diagnosis
from planner.diagnosis.describe import describe_core
from planner.diagnosis.precheck import precheck
from planner.diagnosis.reasons import left_out_reasons, unscheduled_reasons

__all__ = ["Diagnosis", "describe_core", "diagnose", "left_out_reasons", "precheck", "run_diagnosis",
           "unscheduled_reasons"]
