(module (func ;; comment
  (; unterminated block comment
