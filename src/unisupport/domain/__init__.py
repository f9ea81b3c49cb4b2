"""The pure core: rules of the service description as plain Python.

Nothing here imports Django, touches a database or reads the clock: callers pass
``now`` (an aware datetime) in. tests/domain/test_purity.py and import-linter enforce it.
"""
