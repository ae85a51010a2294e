# The example policy of QNX's secpol utility page (QNX 7.0.0), adapted to
# secpol for Linux.  Changes from the original:
#   - 'noinherit' is dropped from the two sshd_t blocks: on Linux a child
#     inherits its parent's type and with it every ability, so the compiler
#     refuses it (start the child under another type instead);
#   - 'priority:255' is written 'priority': priority is the QNX name of
#     sys_nice, a capability, which takes no subrange on Linux;
#   - the page's last line ("allow user_1_t  io_pk...") was cut off in the
#     source and is left out.
# Everything else is verbatim: the QNX-only abilities (able_create,
# mem_phys, qnet, interrupt, fork, spawn) compile with a warning each and
# have no effect; unlock compiles with a warning.
attribute priv_port;
ability iofunc/dup;
ability network/bind/privport;
type procnto;
type io_pkt_t, priv_port;
type qconn_t;
type sshd_t;
type fs_nfs3_t, priv_port;
type user_1_t;
type user_2_t;
type root_t;
allow io_pkt_t self : ability {
      nonroot able_create mem_phys:0- priority qnet interrupt:18 iofunc/dup
};
allow_attach io_pkt_t {
         /dev/socket/...
         /dev/crypto
};
allow priv_port self : ability {
      network/bind/privport
};
allow sshd_t self : ability {
      settypeid:user_1_t,user_2_t
      gain_priv:channel_connect
};
allow sshd_t self : ability {
      fork
      unlock
};
allow sshd_t self : ability {
      spawn
};
allow root_t self : ability {
      default_priv
      -mem_phys
};
allow_attach qconn_t / io_pkt_t;
allow { root_t user_1_t } io_pkt_t:channel connect;
