(component
  (alias outer $nope 0 (type)))
