;; Verdicts that must fail: a wrong result, a trap message that differs,
;; a value that does not fit the function's type, an unknown export.
(component
  (core module $M (func (export "id") (param i32) (result i32) (local.get 0)))
  (core instance $m (instantiate $M))
  (func (export "id") (param "x" u32) (result u32) (canon lift (core func $m "id"))))
(assert_return (invoke "id" (u32.const 1)) (u32.const 2))
(assert_trap (invoke "id" (u32.const 1)) "unreachable")
(assert_return (invoke "id" (s32.const 1)) (u32.const 1))
(assert_return (invoke "nope"))
(assert_return (invoke "id" (u32.const 3)) (u32.const 3))
