# fail closed: srv_t may bind under @S@/ok; @S@/no is forbidden to it.
type srv_t;
allow_attach srv_t { @S@/ok/... @fc-* };
