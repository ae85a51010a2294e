# restart: srv_t may bind under @S@/ok (and serve there); cli_t may
# connect to nothing typed.
type srv_t;
type cli_t;
allow_attach srv_t @S@/ok/...;
