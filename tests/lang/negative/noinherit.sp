type sshd_t;
allow sshd_t self : ability {
      spawn
      noinherit
};
