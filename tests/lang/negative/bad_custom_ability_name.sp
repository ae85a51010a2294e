ability reset_device;
