(module
  (func (param i32) (result i32) (param i64)))
