type a_t;
allow a_t self:ability setuid:a_t;
