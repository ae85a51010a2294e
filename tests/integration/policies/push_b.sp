# push.bats: the types in the other order: open_t is 1 now, svc_t 2, and
# svc_t no longer has chown.
type open_t;
type svc_t;
allow_attach open_t @S@/b/...;
