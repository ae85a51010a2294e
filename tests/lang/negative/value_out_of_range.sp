type web_t;
allow web_t self:ability net_bind_service:80,443,70000;
