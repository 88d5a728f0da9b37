"""Pages of the accounts app, split by topic: signing in and passwords, registration,
two-factor login, the dashboard, “my data”, and the staff's tools (staff import, student
lookup, possible duplicate persons)."""
