(module
  (import "\u{110000}" "f" (func)))
