# learn.bats: l_t learns, e_t enforces; neither has any rule.
type l_t;
type e_t;
learn l_t;
