# derive_type: the type a process of one type becomes under a named
# derivation; the dump lists them per type, sorted by name.
type random_t;
type random_t__run;
type resmgr1_t;
type resmgr1_run_t;
type resmgr1_low_t;
derive_type random_t run random_t__run;
derive_type resmgr1_t run resmgr1_run_t;
derive_type resmgr1_t low_priv resmgr1_low_t;
derive_type resmgr1_low_t run resmgr1_low_t;
allow resmgr1_t self:ability { settypeid:resmgr1_run_t,resmgr1_low_t };
