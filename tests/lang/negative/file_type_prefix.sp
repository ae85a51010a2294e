type devb_t;
allow_attach devb_t mount:/;
