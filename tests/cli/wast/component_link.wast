;; Component commands of `witgen wast` beyond what cm-spec-test uses:
;; registering a component instance so that a later component imports it
;; (wg_component_linker_define_instance), definitions instantiated twice
;; (separate state), unlinkable and uninstantiable components.

(component $A
  (core module $M
    (global $n (mut i32) (i32.const 0))
    (func (export "inc") (param i32) (result i32)
      (global.set $n (i32.add (global.get $n) (i32.const 1)))
      (i32.add (local.get 0) (i32.const 1)))
    (func (export "calls") (result i32) (global.get $n)))
  (core instance $m (instantiate $M))
  (func (export "inc") (param "x" u32) (result u32) (canon lift (core func $m "inc")))
  (func (export "calls") (result u32) (canon lift (core func $m "calls")))
)
(register "test:a/api" $A)

;; B imports A's exports as an instance and calls through it
(component definition $B
  (import "test:a/api" (instance $a (export "inc" (func (param "x" u32) (result u32)))))
  (alias export $a "inc" (func $inc))
  (core func $inc' (canon lower (func $inc)))
  (core module $N
    (import "" "inc" (func $inc (param i32) (result i32)))
    (func (export "twice") (param i32) (result i32)
      (call $inc (call $inc (local.get 0)))))
  (core instance $n (instantiate $N (with "" (instance (export "inc" (func $inc'))))))
  (func (export "twice") (param "x" u32) (result u32) (canon lift (core func $n "twice")))
)
(component instance $b1 $B)
(component instance $b2 $B)
(assert_return (invoke $b1 "twice" (u32.const 5)) (u32.const 7))
(assert_return (invoke $b2 "twice" (u32.const 10)) (u32.const 12))
;; both instances of B share the registered instance of A
(assert_return (invoke $A "calls") (u32.const 4))

;; nothing is registered under this name
(assert_unlinkable
  (component (import "test:missing/api" (instance (export "f" (func)))))
  "not defined")

;; a start function that traps
(assert_trap
  (component
    (core module $M (func $s unreachable) (start $s))
    (core instance (instantiate $M)))
  "unreachable")

;; a trap poisons the instance; a later call traps as the spec says
(component $P
  (core module $M (func (export "f") unreachable))
  (core instance $m (instantiate $M))
  (func (export "f") (canon lift (core func $m "f"))))
(assert_trap (invoke "f") "unreachable")
(assert_trap (invoke "f") "cannot enter component instance")
