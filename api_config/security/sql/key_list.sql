SELECT name, role, key_id, created_at, created_by, revoked_at, last_used_at
FROM auth.api_keys
ORDER BY name
