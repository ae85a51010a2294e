# one limit of each kind per type, however the type is named
attribute pool;
type a_t, pool;
type b_t, pool;
limit a_t processes 10;
limit { b_t } processes 20;
limit pool processes 30;
limit { a_t a_t pool } processes 40;
