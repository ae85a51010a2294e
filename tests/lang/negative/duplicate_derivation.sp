type a_t;
type b_t;
derive_type a_t run b_t;
derive_type a_t run a_t;
