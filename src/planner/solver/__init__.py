"""The CP-SAT model of a mission's programme, and running it."""
