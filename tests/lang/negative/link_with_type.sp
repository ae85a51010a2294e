type a_t;
allow_link a_t /tmp/x a_t;
