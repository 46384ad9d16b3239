(component
  (import "f" (func (param "x" bogus))))
