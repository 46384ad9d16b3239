;; Valid, but imports a whole component at the top level, which an
;; embedder cannot provide: the runtime refuses it as unsupported. Used by
;; test_component_load.
(component (import "c" (component)))
