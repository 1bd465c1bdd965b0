SELECT name, role FROM auth.identify(%(key_id)s, %(token_sha256)s)
