# push.bats: the first policy.  svc_t (1) may not attach, open_t (2) may.
type svc_t;
type open_t;
allow svc_t self:ability chown;
allow_attach open_t @S@/b/...;
