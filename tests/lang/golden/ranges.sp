# Subranges: decimal, octal and hex values; closed and open ranges (an open
# range "N-" goes up to the ability's maximum); comma lists; type names as
# values of type-valued abilities; overlapping and adjacent ranges merged,
# also across statements; named ranges; nonroot blocks.
range gpu_mem;
range ids;
type web_t;
type ssh_t;
type user_1_t;
type user_2_t;
type spawner_t;

# ports: 80 and 81 are adjacent, 443 alone, 8000- open (to 65535)
allow web_t self:ability {
      nonroot
      net_bind_service:80,443,81,8000-
};
# uids: 0x3e8 = 1000, and 01750 (octal) = 1000 too; 1000-2000 and 1500-2500
# overlap; 2501 is adjacent and merges; 017 = 15
allow ssh_t self:ability {
      setuid:0x3e8-2000,1500-2500,017
      setgid:4,6,23
};
allow ssh_t self:ability setuid:2501;
allow ssh_t self:ability { setuid:01750 setgid:ids };
# a named range alongside numbers
allow spawner_t self:ability { setuid:gpu_mem,0 setgid:5- };
# type-valued: names and numbers; 3- is open (to the last type)
allow spawner_t self:ability {
      settypeid:user_1_t,user_2_t
      channel_connect:web_t,3-
};
