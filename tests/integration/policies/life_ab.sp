# daemon lifecycle: the second policy (a type added)
type a_t;
allow_attach a_t @S@/a/...;
type b_t;
allow_attach b_t @S@/b/...;
