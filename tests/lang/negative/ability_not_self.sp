type a_t;
type b_t;
allow a_t b_t:ability io;
