/**
 * Tree-sitter grammar of WIT, the WebAssembly Interface Type language, as
 * defined by the component model's design/mvp/WIT.md.
 *
 * Lexical notes:
 * - Comments (`//`, nested `/* *\/`) and doc comments (`///`, `/** *\/`) are
 *   produced by the external scanner (src/scanner.c) and are extras, so they
 *   may appear anywhere; doc comments are named nodes the resolver attaches
 *   to the item that follows.
 * - Identifiers are lexed leniently (letters, digits, `-`, optional leading
 *   `%`); kebab-case validity is checked by the resolver, which gives a
 *   located error instead of a parse error.
 * - Keywords are extracted from `identifier` (the `word` rule), so a keyword
 *   is never an identifier unless %-escaped.
 *
 * CommonJS on purpose: the tree-sitter generator loads it with require().
 */
const commaSep1 = (rule) => seq(rule, repeat(seq(',', rule)), optional(','));
const commaSep = (rule) => optional(commaSep1(rule));

module.exports = grammar({
  name: 'wit',

  // `unterminated_comment` (a `/*` never closed, to the end of the input)
  // appears in no rule: the scanner returns it where nothing expects it, so
  // it always ends up inside an ERROR node, and the text after an unclosed
  // `/*` is read once (rescanning it from every later `/*` was quadratic).
  externals: ($) => [
    $.comment,
    $.doc_comment,
    $._error_sentinel,
    $.unterminated_comment,
  ],

  extras: ($) => [/\s/, $.comment, $.doc_comment],

  word: ($) => $.identifier,

  rules: {
    source_file: ($) =>
      seq(
        optional(seq(field('package', $.package_decl), ';')),
        repeat(choice($._package_item, $.nested_package)),
      ),

    // package ns:name@1.2.3
    package_decl: ($) => seq('package', $.package_name),

    // `ns:name@1.2.3`. WIT.md's package-decl also writes nested namespaces
    // and packages (`a:b:c/d/e`), the future extension its use-path marks
    // with a nest emoji; wit-parser rejects them, and so does this grammar
    // (a walker reading `namespace` and `name` would otherwise accept them
    // silently).
    package_name: ($) =>
      seq(
        field('namespace', $.identifier),
        ':',
        field('name', $.identifier),
        optional(seq('@', field('version', $.version))),
      ),

    nested_package: ($) =>
      seq(field('package', $.package_decl), '{', repeat($._package_item), '}'),

    _package_item: ($) =>
      choice($.toplevel_use, $.interface_item, $.world_item),

    toplevel_use: ($) =>
      seq(
        optional($._attributes),
        'use',
        field('path', $.use_path),
        optional(seq('as', field('alias', $.identifier))),
        ';',
      ),

    // `iface`, or `ns:pkg/iface@1.0.0`
    use_path: ($) =>
      choice(
        field('name', $.identifier),
        seq(
          field('namespace', $.identifier),
          ':',
          field('package', $.identifier),
          '/',
          field('name', $.identifier),
          optional(seq('@', field('version', $.version))),
        ),
      ),

    version: ($) =>
      token(
        seq(
          /[0-9]+/,
          '.',
          /[0-9]+/,
          '.',
          /[0-9]+/,
          optional(seq('-', /[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*/)),
          optional(seq('+', /[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*/)),
        ),
      ),

    // ---- feature gates ----------------------------------------------------

    _gate: ($) =>
      choice($.since_gate, $.unstable_gate, $.deprecated_gate),

    since_gate: ($) =>
      seq(
        '@since',
        '(',
        'version',
        '=',
        field('version', $.version),
        ')',
      ),

    unstable_gate: ($) =>
      seq(
        '@unstable',
        '(',
        'feature',
        '=',
        field('feature', $.identifier),
        ')',
      ),

    deprecated_gate: ($) =>
      seq(
        '@deprecated',
        '(',
        'version',
        '=',
        field('version', $.version),
        ')',
      ),

    external_id: ($) => seq('@external-id', '(', field('id', $.string), ')'),

    string: ($) => token(seq('"', repeat(choice(/[^"\\\n]/, /\\./)), '"')),

    _attributes: ($) => repeat1(choice($._gate, $.external_id)),

    // ---- interfaces -------------------------------------------------------

    interface_item: ($) =>
      seq(
        optional($._attributes),
        'interface',
        field('name', $.identifier),
        field('body', $.interface_body),
      ),

    interface_body: ($) => seq('{', repeat($._interface_member), '}'),

    _interface_member: ($) =>
      choice($.use_item, $._typedef_item, $.func_item),

    use_item: ($) =>
      seq(
        optional($._attributes),
        'use',
        field('path', $.use_path),
        '.',
        '{',
        commaSep($.use_name),
        '}',
        ';',
      ),

    use_name: ($) =>
      seq(
        field('name', $.identifier),
        optional(seq('as', field('alias', $.identifier))),
      ),

    func_item: ($) =>
      seq(
        optional($._attributes),
        field('name', $.identifier),
        ':',
        field('type', $.func_type),
        ';',
      ),

    func_type: ($) =>
      seq(
        optional(field('async', 'async')),
        'func',
        field('params', $.param_list),
        optional(seq('->', field('result', $._type))),
      ),

    param_list: ($) => seq('(', commaSep($.named_type), ')'),

    named_type: ($) =>
      seq(field('name', $.identifier), ':', field('type', $._type)),

    // ---- type definitions -------------------------------------------------

    _typedef_item: ($) =>
      choice(
        $.resource_item,
        $.variant_item,
        $.record_item,
        $.flags_item,
        $.enum_item,
        $.type_item,
      ),

    type_item: ($) =>
      seq(
        optional($._attributes),
        'type',
        field('name', $.identifier),
        '=',
        field('type', $._type),
        ';',
      ),

    record_item: ($) =>
      seq(
        optional($._attributes),
        'record',
        field('name', $.identifier),
        '{',
        commaSep($.record_field),
        '}',
      ),

    // Fields, flags and cases take no gates (WIT.md, wit-parser).
    record_field: ($) =>
      seq(
        field('name', $.identifier),
        ':',
        field('type', $._type),
      ),

    flags_item: ($) =>
      seq(
        optional($._attributes),
        'flags',
        field('name', $.identifier),
        '{',
        commaSep($.flag),
        '}',
      ),

    flag: ($) => field('name', $.identifier),

    variant_item: ($) =>
      seq(
        optional($._attributes),
        'variant',
        field('name', $.identifier),
        '{',
        commaSep($.variant_case),
        '}',
      ),

    variant_case: ($) =>
      seq(
        field('name', $.identifier),
        optional(seq('(', field('type', $._type), ')')),
      ),

    enum_item: ($) =>
      seq(
        optional($._attributes),
        'enum',
        field('name', $.identifier),
        '{',
        commaSep($.enum_case),
        '}',
      ),

    enum_case: ($) => field('name', $.identifier),

    resource_item: ($) =>
      seq(
        optional($._attributes),
        'resource',
        field('name', $.identifier),
        choice(';', field('body', $.resource_body)),
      ),

    resource_body: ($) =>
      seq('{', repeat(choice($.func_item, $.static_func, $.constructor)), '}'),

    static_func: ($) =>
      seq(
        optional($._attributes),
        field('name', $.identifier),
        ':',
        'static',
        field('type', $.func_type),
        ';',
      ),

    constructor: ($) =>
      seq(
        optional($._attributes),
        'constructor',
        field('params', $.param_list),
        optional(seq('->', field('result', $._type))),
        ';',
      ),

    // ---- worlds -----------------------------------------------------------

    world_item: ($) =>
      seq(
        optional($._attributes),
        'world',
        field('name', $.identifier),
        field('body', $.world_body),
      ),

    world_body: ($) => seq('{', repeat($._world_member), '}'),

    _world_member: ($) =>
      choice(
        $.import_item,
        $.export_item,
        $.use_item,
        $._typedef_item,
        $.include_item,
      ),

    import_item: ($) => seq(optional($._attributes), 'import', $._extern),

    export_item: ($) => seq(optional($._attributes), 'export', $._extern),

    // `name: func(...)`, `name: interface { ... }`, `name: path;` or `path;`
    _extern: ($) =>
      choice(
        seq(
          field('name', $.identifier),
          ':',
          choice(
            seq(field('func', $.func_type), ';'),
            seq('interface', field('interface', $.interface_body)),
            seq(field('path', $.use_path), ';'),
          ),
        ),
        seq(field('path', $.use_path), ';'),
      ),

    include_item: ($) =>
      seq(
        optional($._attributes),
        'include',
        field('path', $.use_path),
        choice(';', seq('with', '{', commaSep($.include_name), '}')),
      ),

    include_name: ($) =>
      seq(field('name', $.identifier), 'as', field('alias', $.identifier)),

    // ---- types ------------------------------------------------------------

    _type: ($) =>
      choice(
        $.primitive_type,
        $.tuple_type,
        $.list_type,
        $.map_type,
        $.option_type,
        $.result_type,
        $.handle_type,
        $.future_type,
        $.stream_type,
        $.named_type_ref,
      ),

    primitive_type: (_) =>
      choice(
        'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64',
        'f32', 'f64',
        'char', 'bool', 'string', 'error-context',
      ),

    named_type_ref: ($) => field('name', $.identifier),

    tuple_type: ($) => seq('tuple', '<', commaSep($._type), '>'),

    list_type: ($) =>
      seq(
        'list',
        '<',
        field('element', $._type),
        optional(seq(',', field('length', $.integer))),
        '>',
      ),

    integer: (_) => /[0-9]+/,

    map_type: ($) =>
      seq(
        'map',
        '<',
        field('key', $._type),
        ',',
        field('value', $._type),
        '>',
      ),

    option_type: ($) => seq('option', '<', field('payload', $._type), '>'),

    result_type: ($) =>
      seq(
        'result',
        optional(
          seq(
            '<',
            choice(
              seq(field('ok', $._type), optional(seq(',', field('err', $._type)))),
              seq('_', ',', field('err', $._type)),
            ),
            '>',
          ),
        ),
      ),

    handle_type: ($) =>
      seq(
        field('kind', choice('borrow', 'own')),
        '<',
        field('resource', $.identifier),
        '>',
      ),

    future_type: ($) =>
      seq('future', optional(seq('<', field('payload', $._type), '>'))),

    stream_type: ($) =>
      seq('stream', optional(seq('<', field('payload', $._type), '>'))),

    identifier: (_) => /%?[a-zA-Z][a-zA-Z0-9]*(-[a-zA-Z0-9]*)*/,
  },
});
