# Custom (dynamic) abilities: declared vendor/name, granted like any other;
# one used with a subrange is marked ranged.
ability iofunc/dup;
ability network/bind/privport;
ability Vendor/Reset-Device;
ability hw.ctl/v2/read;
type server_t;
type client_t;
allow server_t self:ability {
      iofunc/dup
      network/bind/privport:1-1023,0x2000
      vendor/reset-device
};
allow client_t self:ability { nonroot HW.CTL/V2/READ:5,7-9 };
