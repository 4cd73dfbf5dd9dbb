"""Contract tests: one module per protocol, each run against every implementation that can run here."""
