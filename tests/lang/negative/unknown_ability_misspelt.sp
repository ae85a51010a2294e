# a misspelt ability: line, column, caret and a suggestion
type fs_t;
allow fs_t self:ability {
      io
      pathspce
};
