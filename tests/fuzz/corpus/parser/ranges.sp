range gpu_mem;
type a_t;
type b_t;
allow a_t self:ability { nonroot setuid:1000-2000,0x10-0x1f,017 net_bind_service:80,443,1000- };
allow a_t self:ability { setgid:gpu_mem,5- setuid:1999-3000 };
allow b_t self:ability { channel_connect:a_t,default,2- settypeid:self };
