;; Half of a cycle: imports test:cyc/b and exports test:cyc/a, so a graph
;; of cyc-a and cyc-b cannot be ordered. Used by test_component_graph.
(component
  (import "test:cyc/b" (instance $other
    (export "f" (func (result u32)))))
  (alias export $other "f" (func $f))
  (core func $f' (canon lower (func $f)))
  (core module $M
    (import "" "f" (func $f (result i32)))
    (func (export "g") (result i32) (i32.add (call $f) (i32.const 1))))
  (core instance $i (instantiate $M (with "" (instance (export "f" (func $f'))))))
  (func $g (result u32) (canon lift (core func $i "g")))
  (instance $mine (export "f" (func $g)))
  (export "test:cyc/a" (instance $mine))
)
