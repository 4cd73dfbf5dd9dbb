"""The application floor: services (the process-wide parts), the CLI, jobs and their worker, the
answer orchestrator, evaluation and dashboard users. The only code that imports `etl`."""
