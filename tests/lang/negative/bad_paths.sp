type a_t;
allow_attach a_t {
      dev/x
      /dev//x
      /dev/x/
      /dev/./x
      /dev/../x
      /dev/.../x
      /dev/*/...
      @
      @x/...
};
