ability iofunc/dup;
ability network/bind/privport;
type srv_t;
allow srv_t self:ability { iofunc/dup network/bind/privport:1-1023,0x2000 };
allow srv_t self : ability { nonroot IOFUNC/DUP };
