"""The demo: one edition whose windows are all open today, people for every role, and
works at every stage, built by ``manage.py seed_demo`` (``./scripts/serve`` runs it).

This app imports the others and is imported by none (only scripts, tests and the bench):
the platform runs the same without it. Its steps run in the order of :data:`STEPS` in
:mod:`gongchuang.demo.steps`.
"""
