"""planner: from one readable mission file to a valid, optimised programme."""

__version__ = "0.1.0"
