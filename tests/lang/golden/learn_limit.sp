# learn and limit (issues 7 and 8): learning types and process limits
attribute server_attr;
type svc_t;
type web_t, server_attr;
type db_t, server_attr;
type batch_t;
type enforced_t;

# a type, a brace list, an attribute (every type that has it)
learn svc_t;
learn { web_t };
learn server_attr;     # web_t again through the attribute: one warning
learn default;         # accepted, with a warning: it has no effect

# at most N tasks (threads count) of the type at once
limit svc_t processes 200;
limit { web_t db_t } processes 50;
LIMIT batch_t PROCESSES 1;
limit enforced_t processes 4194304;

# learning changes nothing else: grants and rules are as written
allow svc_t self:ability net_bind_service:80;
allow_attach svc_t /run/svc/...;
