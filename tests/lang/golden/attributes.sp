# Attributes: a name for a set of types, usable wherever types are granted
# something (subjects, channel connect targets, settypeid and
# channel_connect values).  An attribute may be used before it is declared.
type io_pkt_t, priv_port, net;
type fs_nfs3_t, priv_port;
type dhcp_t, net;
type client_t;
type admin_t;
attribute priv_port;
attribute net;
attribute nobody;
allow priv_port self:ability net_bind_service:1-1023;
allow net self:ability { nonroot net_raw };
allow_attach net /run/net/...;
allow client_t net:channel connect;
allow client_t nobody:channel connect;
allow admin_t self:ability {
      settypeid:priv_port channel_connect:net
      gain_priv:net_bind_service gain_priv:net_raw gain_priv:pathspace
};
allow nobody self:ability sys_admin;
