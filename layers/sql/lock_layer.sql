-- Serialise loads of one layer (released at commit or rollback).
SELECT pg_advisory_xact_lock(hashtext(%(layer)s))
