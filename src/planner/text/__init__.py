"""Words and numbers for people: formatting of clocks, dates and durations, and message catalogues."""
