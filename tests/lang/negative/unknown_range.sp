range gpu_mem;
type screen_t;
allow screen_t self:ability setuid:gpu_mme;
