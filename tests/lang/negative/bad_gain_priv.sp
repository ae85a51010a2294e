type a_t;
allow a_t self:ability { gain_priv io -  };
