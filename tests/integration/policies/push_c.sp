# push.bats: svc_t is gone.
type open_t;
allow_attach open_t @S@/b/...;
