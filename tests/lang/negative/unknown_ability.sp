type fs_t;
allow fs_t self:ability frobnicate;
