"""API keys and job owners: the ``auth`` schema.

Revision ID: 0008_auth
Revises: 0007_roles
Create Date: 2026-12-01

Frozen: the SQL below describes the schema as it is at this revision and imports nothing from the
project.

* ``auth.api_keys``: one row per API key (``dothi api-key create``): its public id, a unique name,
  the role (``planner`` or ``analyst``), the SHA-256 of the whole token (never the token), when it
  was created, revoked and last used.
* ``auth.job_owners``: who submitted each OGC API job (key name and role); kept when the job is
  deleted (the audit trail).
* ``auth.identify(key_id, token_sha256)``: SECURITY DEFINER function resolving a token's digest
  to ``(name, role)`` for a key that is not revoked.  The API's roles may EXECUTE it but have no
  privilege on ``auth.api_keys``: they cannot read the digests.
"""

from __future__ import annotations

from alembic import op

revision = "0008_auth"
down_revision = "0007_roles"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE SCHEMA auth;
REVOKE ALL ON SCHEMA auth FROM PUBLIC;

CREATE TABLE auth.api_keys (
    key_id text PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{12}$'),
    name text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    role text NOT NULL CHECK (role IN ('planner', 'analyst')),
    token_sha256 bytea NOT NULL CHECK (length(token_sha256) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT current_user,
    revoked_at timestamptz,
    last_used_at timestamptz
);
COMMENT ON TABLE auth.api_keys IS
    'API keys: SHA-256 of each token (never the token), role, creation, revocation, last use.';

CREATE TABLE auth.job_owners (
    job_id text PRIMARY KEY,
    key_name text NOT NULL,
    role text NOT NULL CHECK (role IN ('planner', 'analyst')),
    submitted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_owners_key_name_idx ON auth.job_owners (key_name);
COMMENT ON TABLE auth.job_owners IS 'Who submitted each OGC API job (API key name and role).';

CREATE FUNCTION auth.identify(p_key_id text, p_token_sha256 bytea)
RETURNS TABLE (name text, role text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $body$
DECLARE
    found_key auth.api_keys;
BEGIN
    SELECT * INTO found_key FROM auth.api_keys k
    WHERE k.key_id = p_key_id AND k.revoked_at IS NULL;
    IF NOT FOUND OR sha256(found_key.token_sha256) <> sha256(p_token_sha256) THEN
        RETURN;
    END IF;
    IF current_setting('transaction_read_only') = 'off' THEN
        UPDATE auth.api_keys k SET last_used_at = now()
        WHERE k.key_id = found_key.key_id
          AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute');
    END IF;
    name := found_key.name;
    role := found_key.role;
    RETURN NEXT;
END
$body$;
COMMENT ON FUNCTION auth.identify(text, bytea) IS
    'The name and role of the key with this id and token digest, if it is not revoked.';

REVOKE ALL ON ALL TABLES IN SCHEMA auth FROM PUBLIC;
REVOKE ALL ON FUNCTION auth.identify(text, bytea) FROM PUBLIC;
GRANT USAGE ON SCHEMA auth TO dothi_reader, dothi_analyst;
GRANT EXECUTE ON FUNCTION auth.identify(text, bytea) TO dothi_reader, dothi_analyst;
GRANT SELECT, INSERT ON auth.job_owners TO dothi_analyst;
"""

DOWNGRADE = """
DROP SCHEMA auth CASCADE;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
