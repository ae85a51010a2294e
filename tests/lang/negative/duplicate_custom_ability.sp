ability iofunc/dup;
ability IOFUNC/DUP;
