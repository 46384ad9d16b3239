(module
  (func
    local.get 4294967296))
