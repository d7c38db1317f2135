"""Tools for tests and benchmarks: synthetic missions planted around a valid schedule (public, see
docs/testing.md)."""
