-- A NOLOGIN group role of the least-privilege scheme, when missing (revision 0007_roles grants it).
CREATE ROLE {role} NOLOGIN
