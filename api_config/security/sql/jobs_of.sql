SELECT job_id FROM auth.job_owners WHERE key_name = %(key_name)s
