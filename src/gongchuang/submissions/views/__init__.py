"""Pages of the submissions app, split by concern: works, team, files (incl. resumable)."""
