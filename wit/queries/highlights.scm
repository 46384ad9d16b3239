; Syntax highlighting of WIT for editors using tree-sitter queries.

(comment) @comment
(unterminated_comment) @comment
(doc_comment) @comment.documentation

[
  "package" "interface" "world" "use" "as" "import" "export" "include" "with"
  "type" "record" "variant" "enum" "flags" "resource" "func" "static"
  "constructor" "async"
] @keyword

[
  "tuple" "list" "map" "option" "result" "borrow" "own" "future" "stream"
] @type.builtin

(primitive_type) @type.builtin

(since_gate "@since" @attribute)
(unstable_gate "@unstable" @attribute)
(deprecated_gate "@deprecated" @attribute)
(external_id "@external-id" @attribute)
["version" "feature"] @property

(version) @number
(integer) @number
(string) @string

(package_name namespace: (identifier) @namespace)
(package_name name: (identifier) @namespace)
(use_path namespace: (identifier) @namespace)
(use_path package: (identifier) @namespace)
(use_path name: (identifier) @module)

(interface_item name: (identifier) @module)
(world_item name: (identifier) @module)

(type_item name: (identifier) @type)
(record_item name: (identifier) @type)
(variant_item name: (identifier) @type)
(enum_item name: (identifier) @type)
(flags_item name: (identifier) @type)
(resource_item name: (identifier) @type)
(named_type_ref name: (identifier) @type)
(handle_type resource: (identifier) @type)

(func_item name: (identifier) @function)
(static_func name: (identifier) @function)
(import_item name: (identifier) @function)
(export_item name: (identifier) @function)

(record_field name: (identifier) @property)
(named_type name: (identifier) @variable.parameter)
(variant_case name: (identifier) @constant)
(enum_case name: (identifier) @constant)
(flag name: (identifier) @constant)

["=" "," ":" ";" "." "->" "/" "@"] @punctuation.delimiter
"_" @punctuation.special
["(" ")" "{" "}" "<" ">"] @punctuation.bracket
