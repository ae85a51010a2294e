# a limit is a decimal number of processes from 1 to 4194304
type a_t;
limit a_t processes 0;
limit a_t processes 4194305;
limit a_t processes 18446744073709551616;
limit a_t processes 0x10;
limit a_t processes -5;
limit a_t processes;
limit a_t;
