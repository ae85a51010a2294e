# The Landlock domain of a typed process (tests/adversarial/landlock.bats,
# issue 8 holes 3, 4 and 10).  @S@/free is a directory no rule names:
# things move there, and between its subdirectories, freely.
type late_t;     # 1: its rule directory does not exist when it starts
type exact_t;    # 2: an exact name next to an untyped service's socket
type pref_t;     # 3: a whole directory
type outer_t;    # 4: may start inner_t, a whole directory
type inner_t;    # 5: one name in outer_t's directory
type nest_t;     # 6: may start itself (Landlock stacks at most 16 domains)
type many_t;     # 7: many long rule directories (added by the test)
type big_t;      # 8: more rules than on builds a domain from (added too)
type symw_t;     # 9: a rule written through a symbolic link, @S@/sv/lnk
allow_attach late_t @S@/late/new/...;
allow_attach exact_t { @S@/h10/mine.sock @S@/h10/sub/... };
allow_attach pref_t @S@/pref/d/...;
allow_attach outer_t @S@/nest/...;
allow outer_t self:ability settypeid:inner_t;
allow_attach inner_t @S@/nest/in.sock;
allow nest_t self:ability settypeid:nest_t;
allow_attach symw_t @S@/sv/lnk/app/...;
