type fs_t;
allow_attach webserver_t /srv/...;
