# The race tests: racer_t may bind under @S@/okb, link under @S@/okl and
# connect to good_t's channels; the same names under @S@/nob, @S@/nol and
# bad_t's channel (@S@/noc) are forbidden to it.
type racer_t;
type good_t;
type bad_t;
allow_attach racer_t @S@/okb/...;
allow_link racer_t @S@/okl/*;
allow racer_t good_t:channel connect;
allow_attach good_t @S@/okc/...;
allow_attach bad_t @S@/noc/...;
