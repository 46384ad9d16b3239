(module
  (func (result i32)
    ÿ))
