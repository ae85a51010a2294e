type sshd_t;
type user_t;
allow user_t self:ability { setuid:1000 io };
allow sshd_t self:ability settypeid:user_t;
