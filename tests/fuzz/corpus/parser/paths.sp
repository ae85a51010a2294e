type srv_t;
type sock_t;
allow_attach srv_t { /run/srv/... /dev/srv[0-9] /var/*.sock @srv @srv-* / };
allow_attach srv_t /run/sock sock_t;
allow_link srv_t /...;
allow_link srv_t { /tmp/libc* };
