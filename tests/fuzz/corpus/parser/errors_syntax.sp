tpye a;
type b
type c;
allow b c:ability io;
allow b self:file read;
allow_link b /x b;
allow_attach b mount:/;
mount_point 1000:1001 { u::rw } /dev/mp;
allow b self:ability { io
type d;
allow b self:ability setuid:10-5,12abc,99999999999999999999;
}
