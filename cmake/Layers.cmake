# The layers of witgen and who may include whom.
#
# witgen_add_layer(NAME [DIR dir] [DEPS layer...] SOURCES file...)
#
# One OBJECT library `witgen_NAME` per layer; every layer registered here is
# combined into the single `witgen` library. A layer sees:
#   - its own `src/` (private) and `include/` (its public headers),
#   - the `include/` of every layer it depends on (DEPS, transitively),
#   - `base/internal/` (the helpers every layer uses; never installed).
# Nothing else: a file that includes another layer's `src/` header, or a
# header of a layer it does not depend on, fails to compile. The
# `layering` test (tests/layers) checks the includes and the dependency
# order too, so that a wrong DEPS line cannot slip through.
#
# The order (docs/building.md): base, grammar <- binary <- {parser, runtime}
# <- {codegen, compose} <- cli.

function(witgen_add_layer name)
  cmake_parse_arguments(L "" "DIR" "DEPS;SOURCES" ${ARGN})
  if(NOT L_DIR)
    set(L_DIR ${name})
  endif()
  set(root ${PROJECT_SOURCE_DIR}/${L_DIR})
  set(closure "")
  foreach(dep IN LISTS L_DEPS)
    get_property(known GLOBAL PROPERTY WITGEN_LAYER_DIR_${dep} SET)
    if(NOT known)
      message(FATAL_ERROR "layer ${name}: unknown or later layer '${dep}'")
    endif()
    get_property(sub GLOBAL PROPERTY WITGEN_LAYER_CLOSURE_${dep})
    list(APPEND closure ${dep} ${sub})
  endforeach()
  list(REMOVE_DUPLICATES closure)
  set_property(GLOBAL PROPERTY WITGEN_LAYER_DIR_${name} ${L_DIR})
  set_property(GLOBAL PROPERTY WITGEN_LAYER_CLOSURE_${name} "${closure}")
  string(JOIN "," deps_text ${L_DEPS})
  set_property(GLOBAL APPEND PROPERTY WITGEN_LAYER_TABLE
               "${name}=${L_DIR}=${deps_text}")

  set(target witgen_${name})
  add_library(${target} OBJECT ${L_SOURCES})
  witgen_apply_flags(${target})
  target_include_directories(${target} PRIVATE ${root}/src
                                               ${PROJECT_SOURCE_DIR}/base/internal)
  if(EXISTS ${root}/include)
    target_include_directories(${target} PRIVATE ${root}/include)
  endif()
  foreach(dep IN LISTS closure)
    get_property(dep_dir GLOBAL PROPERTY WITGEN_LAYER_DIR_${dep})
    if(EXISTS ${PROJECT_SOURCE_DIR}/${dep_dir}/include)
      target_include_directories(${target} PRIVATE
                                 ${PROJECT_SOURCE_DIR}/${dep_dir}/include)
    endif()
  endforeach()
  target_link_libraries(${target} PRIVATE PkgConfig::TREE_SITTER
                                          PkgConfig::XXHASH)
  target_compile_definitions(${target} PRIVATE
    WITGEN_VERSION_STRING="${PROJECT_VERSION}")
  set_property(GLOBAL APPEND PROPERTY WITGEN_LAYERS ${target})
endfunction()

# The public include folders of every layer, for the combined library, the
# CLI and the tests.
function(witgen_layer_include_dirs out)
  get_property(table GLOBAL PROPERTY WITGEN_LAYER_TABLE)
  set(dirs "")
  foreach(row IN LISTS table)
    string(REPLACE "=" ";" parts "${row}")
    list(GET parts 1 dir)
    if(EXISTS ${PROJECT_SOURCE_DIR}/${dir}/include)
      list(APPEND dirs ${PROJECT_SOURCE_DIR}/${dir}/include)
    endif()
  endforeach()
  set(${out} ${dirs} PARENT_SCOPE)
endfunction()

# Adds subdirectory `dir` when it has a CMakeLists.txt.
function(witgen_add_optional_subdirectory dir)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/CMakeLists.txt)
    add_subdirectory(${dir})
  endif()
endfunction()
