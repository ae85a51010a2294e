type random_t;
type random_t__run;
derive_type random_t run random_t__run;
derive_type random_t__run low random_t__run;
