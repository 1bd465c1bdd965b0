-- The login role's attributes and password as dothi keeps them (repairs a role changed by hand).
ALTER ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT
    PASSWORD %(password)s
