# a limit is a decimal number of processes from 1 to 4194304
type a_t;
limit a_t processes 0;
limit a_t processes 4194305;
limit a_t processes 18446744073709551616;
limit a_t processes 0x10;
limit a_t processes -5;
limit a_t processes;
limit a_t;
type a_t;
limit a_t process 10;
limit a_t threads 10;
limit a_t 10;
# one limit of each kind per type, however the type is named
attribute pool;
type a_t, pool;
type b_t, pool;
limit a_t processes 10;
limit { b_t } processes 20;
limit pool processes 30;
limit { a_t a_t pool } processes 40;
type svc_t;
type web_t;
learn sv_t;
learn { web_t nosuch_t };
learn self;
learn;
