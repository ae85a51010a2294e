# daemon lifecycle: the first policy (one type)
type a_t;
allow_attach a_t @S@/a/...;
