# tests/integration/refusals.bats: refusals reach the system log.
type ref_t;       # 1: binds under @S@/ref only; no capabilities, no listen
allow_attach ref_t @S@/ref/...;
allow ref_t self:ability { -public_channel };
