INSERT INTO auth.job_owners (job_id, key_name, role)
VALUES (%(job_id)s, %(key_name)s, %(role)s)
