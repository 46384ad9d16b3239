(component
  (export "f" (func $nope)))
