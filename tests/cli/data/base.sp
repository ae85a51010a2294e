# A hand-written base policy for the walkthrough's types: secpolgenerate -p
# keeps it and adds what the logs show it lacks.
type fs_t;
type fs_user_t;
type fs_nonuser_t;
type web_t;

allow fs_t self:ability { io sys_admin };
allow_attach fs_t /run/secpol-demo/root/...;
allow_link fs_t /var/tmp/fs-*;
allow fs_user_t fs_t:channel connect;
allow fs_user_t web_t:channel connect;
allow web_t self:ability net_bind_service:80;
allow web_t self:ability { nonroot setgid:33 };
