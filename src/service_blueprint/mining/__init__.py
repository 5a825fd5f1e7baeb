"""Process mining: a current-state blueprint from an event log, and conformance of a log to a
blueprint. See docs/mining.md."""
