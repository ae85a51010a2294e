attribute net;
type net;
