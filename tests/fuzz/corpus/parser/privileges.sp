type root_t;
type quiet_t;
allow root_t self:ability { default_priv -sys_admin -mem_phys unlock };
allow quiet_t self:ability { nonroot -public_channel io -io };
allow quiet_t root_t:channel connect;
