;; A core module whose start function traps: instantiation fails with
;; WG_ERR_TRAP and a message. Used by test_component_load.
(component
  (core module $M (func $s unreachable) (start $s))
  (core instance $m (instantiate $M)))
