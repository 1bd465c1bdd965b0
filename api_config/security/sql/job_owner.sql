SELECT key_name, role FROM auth.job_owners WHERE job_id = %(job_id)s
