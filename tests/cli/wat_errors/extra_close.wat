(module (func))
)
