"""Pages of the expert review, split by audience: committee and experts."""
