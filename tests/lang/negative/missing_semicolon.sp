type a_t
type b_t;
allow b_t self:ability io
allow a_t self:ability io;
