type q_t;
allow q_t self:ability { IO priority reboot clockset mem_lock chroot rlimit xprocess_debug signal mac_policy rsrcdbmgr };
allow q_t self:ability sys_rawio;
