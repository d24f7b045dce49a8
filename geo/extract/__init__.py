"""The incident stage: events, their type, place, date, counts and actors."""
