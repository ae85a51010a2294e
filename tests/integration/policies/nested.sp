# nested on: outer_t may start inner_t (settypeid) and holds more than it;
# plain_t may start nothing.
type outer_t;   # 1
type inner_t;   # 2
type plain_t;   # 3
allow_attach outer_t @S@/outer/...;
allow_attach inner_t @S@/inner/...;
allow outer_t self:ability { settypeid:inner_t chown net_bind_service };
allow inner_t self:ability net_bind_service;
