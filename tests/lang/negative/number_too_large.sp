type a_t;
allow a_t self:ability setuid:18446744073709551616;
