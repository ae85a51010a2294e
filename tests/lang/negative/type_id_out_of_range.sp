type a_t;
type b_t;
allow a_t self:ability channel_connect:1-3;
