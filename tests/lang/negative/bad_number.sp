type a_t;
allow a_t self:ability { setuid:12abc setgid:0x setuid:09 };
