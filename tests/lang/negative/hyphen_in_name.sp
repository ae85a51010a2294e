# QNX: "A hyphen in a type name will generate an error"
type fs-user_t;
