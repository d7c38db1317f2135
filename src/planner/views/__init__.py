"""What people read: calendars, itineraries, the overview, publication."""
