range gpu_mem;
range gpu_mem;
