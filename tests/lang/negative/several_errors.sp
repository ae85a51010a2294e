# every kind of diagnostic at once: all are reported, nothing is written
tpye x;
type fs_t;
type fs_t;
allow fs_t self:ability { pathspce RSRCDBMGR unlock noinherit };
allow fs_user_t fs_t:channel connect;
allow_attach fs_t dev/fsF*;
allow fs_t self:ability net_bind_service:70000;
allow fs_t self:ability { io -io };
