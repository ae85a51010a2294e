type svc_t;
type web_t;
learn sv_t;
learn { web_t nosuch_t };
learn self;
learn;
