;; Uses test:res/store's resource: run() makes r(41), peeks at it (42),
;; drops it (the store's destructor adds 41) and returns 42 * 100 +
;; dropped: 4241 when the resource went both ways between two instances.
(component
  (import "test:res/store" (instance $s
    (export "r" (type $r (sub resource)))
    (export "make" (func (param "v" u32) (result (own $r))))
    (export "peek" (func (param "x" (borrow $r)) (result u32)))
    (export "dropped" (func (result u32)))))
  (alias export $s "r" (type $r))
  (alias export $s "make" (func $make))
  (alias export $s "peek" (func $peek))
  (alias export $s "dropped" (func $dropped))
  (core func $make' (canon lower (func $make)))
  (core func $peek' (canon lower (func $peek)))
  (core func $dropped' (canon lower (func $dropped)))
  (core func $drop (canon resource.drop $r))
  (core module $M
    (import "" "make" (func $make (param i32) (result i32)))
    (import "" "peek" (func $peek (param i32) (result i32)))
    (import "" "dropped" (func $dropped (result i32)))
    (import "" "drop" (func $drop (param i32)))
    (func (export "run") (result i32) (local $h i32) (local $v i32)
      (local.set $h (call $make (i32.const 41)))
      (local.set $v (call $peek (local.get $h)))
      (call $drop (local.get $h))
      (i32.add (i32.mul (local.get $v) (i32.const 100)) (call $dropped))))
  (core instance $i (instantiate $M (with "" (instance
    (export "make" (func $make'))
    (export "peek" (func $peek'))
    (export "dropped" (func $dropped'))
    (export "drop" (func $drop))))))
  (func (export "run") (result u32) (canon lift (core func $i "run")))
)
