type a_t;
limit a_t process 10;
limit a_t threads 10;
limit a_t 10;
