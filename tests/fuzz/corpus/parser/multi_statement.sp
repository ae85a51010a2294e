# comment
TYPE a_t;   attribute at; type b_t, at;
allow {a_t b_t} self:channel connect;
allow a_t { self b_t }:channel connect;
allow a_t self:ability gain_priv:chown;
