;; A component whose wasi:cli/run returns ok: `witgen run` without --invoke calls it.
(component
  (core module $M (func (export "run") (result i32) (i32.const 0)))
  (core instance $m (instantiate $M))
  (func $run (result (result)) (canon lift (core func $m "run")))
  (instance $i (export "run" (func $run)))
  (export "wasi:cli/run@0.2.3" (instance $i))
)
