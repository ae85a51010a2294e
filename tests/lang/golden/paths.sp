# Path rules: exact paths, "dir/..." (the directory and everything below),
# "/..." (everything), fnmatch patterns, abstract socket names "@name",
# relabelling (a third operand), and links.  Every allow_attach and
# allow_link implies pathspace, in both domains.
type srv_t;
type sock_t;
type ln_t;
allow_attach srv_t {
      /run/srv/...
      /dev/srv[0-9]
      /dev/srv?x
      /var/lib/srv/*.sock
      @srv
      @srv-*
      /
};
allow_attach srv_t /run/sock sock_t;
allow_attach srv_t @public default;
allow_link ln_t /...;
allow_link ln_t { /tmp/libc* /usr/lib/x };
allow_attach ln_t /tmp/ln-only;
