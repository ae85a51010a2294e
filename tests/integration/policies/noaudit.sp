# noaudit: plain_t has no capability at all (so no sys_admin).
type plain_t;
