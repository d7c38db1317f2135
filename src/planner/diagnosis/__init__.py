"""Why no programme exists, and why an activity was left out."""
