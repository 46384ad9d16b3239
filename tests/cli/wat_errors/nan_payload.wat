(module
  (func (result f64) (f64.const nan:0x0)))
