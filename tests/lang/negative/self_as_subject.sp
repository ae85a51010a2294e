type a_t;
allow self self:ability io;
