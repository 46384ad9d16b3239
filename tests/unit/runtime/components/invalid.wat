;; Decodes but is not valid: instantiates a module index that does not
;; exist. Used by test_component_load.
(component (core module $m) (core instance (instantiate 5)))
