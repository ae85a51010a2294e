# QNX ability names: the ones with a Linux meaning are aliases of Linux
# capabilities (the dump shows the alias after the name); the ones without
# compile with a warning and have no effect.  Names match in any case.
type qnx_t;
type linux_t;
type nothing_t;
allow qnx_t self:ability {
      IO priority reboot clockset mem_lock chroot
      rlimit xprocess_debug signal mac_policy
};
allow linux_t self:ability {
      sys_rawio SYS_NICE sys_boot sys_time ipc_lock sys_chroot
      sys_resource sys_ptrace kill mac_admin
};
allow nothing_t self:ability {
      nonroot
      rsrcdbmgr keydata mem_phys:0x1200000-0x24000000 interrupt:18
      able_create spawn fork
};
