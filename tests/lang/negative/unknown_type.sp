type fs_t;
type fs_user_t;
allow fs_usr_t fs_t:channel connect;
