-- What the connected login may do: any administrative attribute, and membership of its group.
SELECT
    r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls AS privileged,
    CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = %(group)s)
         THEN pg_has_role(current_user, %(group)s, 'MEMBER') ELSE false END AS member
FROM pg_roles AS r
WHERE r.rolname = current_user
