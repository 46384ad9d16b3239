;; Nested components, inlined into one plan: a child instantiated twice
;; keeps two states and two resource types; a component reaching its
;; sibling by an outer alias; instances exported whole, and re-exported
;; from inside another instance. Used by test_component_load.
(component
  (component $Counter
    (core module $M
      (global $n (mut i32) (i32.const 0))
      (func (export "next") (result i32)
        (global.set $n (i32.add (global.get $n) (i32.const 1)))
        (global.get $n)))
    (core instance $m (instantiate $M))
    (type $t' (resource (rep i32)))
    (export $t "t" (type $t'))
    (core func $new (canon resource.new $t'))
    (core module $N
      (import "" "new" (func $new (param i32) (result i32)))
      (func (export "make") (param i32) (result i32) (call $new (local.get 0))))
    (core instance $n (instantiate $N (with "" (instance (export "new" (func $new))))))
    (func (export "next") (result u32) (canon lift (core func $m "next")))
    (func (export "make") (param "v" u32) (result (own $t)) (canon lift (core func $n "make"))))
  (instance $a (instantiate $Counter))
  (instance $b (instantiate $Counter))
  (export "a" (instance $a))
  (export "b" (instance $b))
  (component $Outer
    (alias outer 1 $Counter (component $C))
    (instance $c (instantiate $C))
    (export "c" (instance $c)))
  (instance $o (instantiate $Outer))
  (export "o" (instance $o))
  (alias export $a "next" (func $a-next))
  (func (export "a-next") (alias export $a "next"))
)
