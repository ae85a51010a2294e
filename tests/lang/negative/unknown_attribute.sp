attribute priv_port;
type io_pkt_t, priv_prot;
