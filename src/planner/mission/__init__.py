"""Reading and writing the file formats: missions (YAML), schedule.json, atomic output files."""
