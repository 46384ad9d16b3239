(module
  (func
    call $missing))
