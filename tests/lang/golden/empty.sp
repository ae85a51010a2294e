# An empty policy: type default (0), with the public_channel every type has.
