# check.c fold_group: memcpy(dst, NULL, 0) for a grant with ranges but no
# named ranges (UBSan: null pointer passed as argument 2)
type a;
allow a a:channel connect;
