# The adversarial suite's policy (tests/adversarial/findings.bats).
type atk_t;       # 1: the attacker: its own dirs under @S@/atk, a port subrange
type victim_t;    # 2: a service atk_t may not connect to
type port_t;      # 3: net_bind_service without a subrange
allow_attach atk_t @S@/atk/...;
allow atk_t self:ability net_bind_service:443;
allow_attach victim_t @S@/victim/...;
allow port_t self:ability net_bind_service;
type creds_t;     # 4: setuid and setgid with subranges, as non-root too
allow creds_t self:ability { nonroot setuid:1000-1001 setgid:1000-1001 };
type fb_t;        # 5: at most 20 tasks at once
limit fb_t processes 20;
