type qconn_t;
type io_pkt_t;
allow_attach qconn_t / io_pkt_t;
allow_attach qconn_t /;
