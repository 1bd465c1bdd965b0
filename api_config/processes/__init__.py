"""OGC API – Processes: every indicator of the registry is a process; jobs are kept in PostgreSQL."""
