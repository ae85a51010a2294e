type a_t;
allow a_t self:ability {
      io
