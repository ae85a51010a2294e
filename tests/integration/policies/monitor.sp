# monitors: srv_t attaches abstract names @mon-*; nopath_t has nothing.
type srv_t;
type nopath_t;
allow_attach srv_t { @mon-* @S@/srv/... };
