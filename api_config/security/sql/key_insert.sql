INSERT INTO auth.api_keys (key_id, name, role, token_sha256)
VALUES (%(key_id)s, %(name)s, %(role)s, %(token_sha256)s)
ON CONFLICT (name) DO NOTHING
RETURNING created_at
