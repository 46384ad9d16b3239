;; Defines a resource `r` and exports it in test:res/store with `make` (an
;; own, rep = v) and `peek` (a borrow: rep + 1). Its destructor adds the
;; rep to `dropped`. Used by test_component_graph with res-user.wat (the
;; resource crosses between two linked instances) and res-user-bad.wat
;; (its `r` bound elsewhere: refused at link time).
(component
  (core module $D
    (global $n (export "n") (mut i32) (i32.const 0))
    (func (export "dtor") (param i32)
      (global.set $n (i32.add (global.get $n) (local.get 0)))))
  (core instance $d (instantiate $D))
  (type $r (resource (rep i32) (dtor (core func $d "dtor"))))
  (core func $new (canon resource.new $r))
  (core module $M
    (import "" "new" (func $new (param i32) (result i32)))
    (import "d" "n" (global $n (mut i32)))
    (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
    (func (export "peek") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func (export "dropped") (result i32) (global.get $n)))
  (core instance $i (instantiate $M
    (with "" (instance (export "new" (func $new))))
    (with "d" (instance $d))))
  (func $make (param "v" u32) (result (own $r)) (canon lift (core func $i "make")))
  (func $peek (param "x" (borrow $r)) (result u32) (canon lift (core func $i "peek")))
  (func $dropped (result u32) (canon lift (core func $i "dropped")))
  (instance $store
    (export "r" (type $r))
    (export "make" (func $make))
    (export "peek" (func $peek))
    (export "dropped" (func $dropped)))
  (export "test:res/store" (instance $store))
)
