type fs_t;
type fs_user_t;
type fs_t;
