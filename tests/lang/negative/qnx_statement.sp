mount_point 1000:1001 { u::rw g::r } /dev/mountpoint;
