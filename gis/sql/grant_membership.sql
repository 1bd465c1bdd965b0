-- The role becomes a member of the group (and inherits its privileges).
GRANT {group} TO {role}
