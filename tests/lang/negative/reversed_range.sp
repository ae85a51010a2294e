type a_t;
allow a_t self:ability setuid:2000-1000;
