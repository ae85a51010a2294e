tpye a_t;
