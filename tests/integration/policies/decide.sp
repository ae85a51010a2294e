# The decisions of SPEC §2, one type per case.  IDs follow the order of
# declaration: srv_t is 1 and chan_t is 4 (the tests print them).
type srv_t;       # 1: attaches servers under @S@/srv, @srv-*, @S@/dgram
type cli_t;       # 2: may connect to srv_t
type nocli_t;     # 3: may connect to nothing typed
type chan_t;      # 4: the type of the relabelled channel @S@/relabel
type chancli_t;   # 5: may connect to chan_t only
type selfc_t;     # 6: attaches under @S@/self, connects to nothing typed
type nopath_t;    # 7: no pathspace, no capabilities
type link_t;      # 8: links under @S@/links, attaches only @S@/attachonly
type quiet_t;     # 9: attaches under @S@/quiet, no public_channel
type ids_t;       # 10: setuid/setgid with subranges
type web_t;       # 11: net_bind_service:443
type uring_t;     # 12: io_uring
type mnt_t;       # 13: the new mount API (and sys_admin, which it needs)
type compat_t;    # 14: ia32 system calls
type admin_t;     # 15: sys_admin, may mount on @S@/mnt
type admin2_t;    # 16: sys_admin, may mount on @S@/mnt2 only
type ns_t;        # 17: sys_admin, attaches under @S@/srv
type ptrace_t;    # 18: sys_ptrace

allow_attach srv_t { @S@/srv/... @srv-* @S@/dgram/... };
allow_attach srv_t @S@/relabel chan_t;
allow cli_t srv_t:channel connect;
allow chancli_t chan_t:channel connect;
allow_attach selfc_t @S@/self/...;
allow_link link_t @S@/links/*;
allow_attach link_t @S@/attachonly;
allow_attach quiet_t @S@/quiet/...;
allow quiet_t self:ability { -public_channel };
allow ids_t self:ability { setuid:1000-2000 setgid:4,6,23 };
allow web_t self:ability net_bind_service:443;
allow uring_t self:ability io_uring;
allow mnt_t self:ability { mount_api sys_admin };
allow compat_t self:ability compat_syscalls;
allow admin_t self:ability sys_admin;
allow_attach admin_t @S@/mnt;
allow admin2_t self:ability sys_admin;
allow_attach admin2_t @S@/mnt2;
allow ns_t self:ability sys_admin;
allow_attach ns_t @S@/srv/...;
allow ptrace_t self:ability sys_ptrace;
