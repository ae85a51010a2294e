type 2fs_t;
