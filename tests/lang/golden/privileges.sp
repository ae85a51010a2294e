# default_priv grants every Linux capability; -name takes one away (and
# -public_channel the default that every type has).  A block applies to the
# root domain only unless it contains nonroot, which makes it apply to both
# domains.  'allow A B:channel connect' grants channel_connect:B in both.
type admin_t;
type admin_nonroot_t;
type quiet_t;
type daemon_t;
allow admin_t self:ability { default_priv -sys_module -sys_boot };
allow admin_nonroot_t self:ability { nonroot default_priv -sys_admin };
allow quiet_t self:ability { nonroot -public_channel };
allow daemon_t self:ability { setuid:1000 chown };
allow daemon_t self:ability { nonroot dac_read_search };
allow daemon_t admin_t:channel connect;
allow daemon_t self:ability channel_connect:quiet_t;
