"""Views of the qualification review, split by audience (unit organizers, city committee)."""
