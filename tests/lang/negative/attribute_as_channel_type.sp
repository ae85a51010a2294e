attribute net;
type a_t, net;
allow_attach a_t /run/a net;
