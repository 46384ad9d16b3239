;; Valid, but imports a whole component at the top level, which an
;; embedder cannot provide: it loads, and linking it fails as unlinkable.
;; Used by test_component_load.
(component (import "c" (component)))
