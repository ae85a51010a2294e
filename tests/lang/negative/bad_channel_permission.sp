type a_t;
allow a_t self:channel send;
