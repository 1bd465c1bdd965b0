-- Serialise role creation across concurrent callers (role names are cluster-wide).
SELECT pg_advisory_xact_lock(hashtext('dothi roles'))
