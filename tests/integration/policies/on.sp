# on -T: types for the launcher's contract and the capability sets.
type run_t;    # 1: nothing granted
type nb_t;     # 2: net_bind_service as root only
type nbnr_t;   # 3: net_bind_service as root and as non-root (ambient)
type ch_t;     # 4: chown as root
allow nb_t self:ability net_bind_service;
allow nbnr_t self:ability { nonroot net_bind_service };
allow ch_t self:ability chown;
