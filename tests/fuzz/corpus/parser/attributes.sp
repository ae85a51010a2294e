attribute priv_port;
type io_pkt_t, priv_port;
type fs_nfs3_t, priv_port;
type user_t;
allow priv_port self:ability net_bind_service:1-1023;
allow { user_t io_pkt_t } priv_port:channel { connect };
allow user_t self:ability { settypeid:priv_port gain_priv:net_bind_service };
