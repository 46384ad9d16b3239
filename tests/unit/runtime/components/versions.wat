;; Imports at semver versions of every kind (1.x, 0.x, 0.0.x, a
;; pre-release) for the linker's version matching. Used by
;; test_component_linker.
(component
  (import "a:b/one@1.0.0" (instance $one (export "f" (func (result u32)))))
  (import "a:b/zero@0.2.3" (instance $zero (export "f" (func (result u32)))))
  (import "a:b/tiny@0.0.1" (instance $tiny (export "f" (func (result u32)))))
  (import "a:b/pre@2.0.0-rc1" (instance $pre (export "f" (func (result u32)))))
  (alias export $one "f" (func $f1))
  (alias export $zero "f" (func $f2))
  (alias export $tiny "f" (func $f3))
  (alias export $pre "f" (func $f4))
  (core func $f1' (canon lower (func $f1)))
  (core func $f2' (canon lower (func $f2)))
  (core func $f3' (canon lower (func $f3)))
  (core func $f4' (canon lower (func $f4)))
  (core module $M
    (import "" "f1" (func $f1 (result i32)))
    (import "" "f2" (func $f2 (result i32)))
    (import "" "f3" (func $f3 (result i32)))
    (import "" "f4" (func $f4 (result i32)))
    ;; which definitions answered: their results in decimal digits
    (func (export "all") (result i32)
      (i32.add (i32.add (i32.mul (call $f1) (i32.const 1000))
                        (i32.mul (call $f2) (i32.const 100)))
               (i32.add (i32.mul (call $f3) (i32.const 10)) (call $f4)))))
  (core instance $m (instantiate $M (with "" (instance
    (export "f1" (func $f1')) (export "f2" (func $f2'))
    (export "f3" (func $f3')) (export "f4" (func $f4'))))))
  (func (export "all") (result u32) (canon lift (core func $m "all")))
)
