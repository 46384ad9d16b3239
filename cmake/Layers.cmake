# witgen_add_layer(NAME SOURCES...): one OBJECT library per layer. Every
# layer registered here is combined into the single `witgen` library.
# Layers see all public headers plus base/src (internal helpers).
function(witgen_add_layer name)
  set(target witgen_${name})
  if(NOT ARGN)
    return() # a layer with no sources yet contributes nothing
  endif()
  add_library(${target} OBJECT ${ARGN})
  witgen_apply_flags(${target})
  target_include_directories(${target} PUBLIC
    ${PROJECT_SOURCE_DIR}/base/include
    ${PROJECT_SOURCE_DIR}/base/src
    ${PROJECT_SOURCE_DIR}/parser/include
    ${PROJECT_SOURCE_DIR}/codegen/include
    ${PROJECT_SOURCE_DIR}/runtime/include
    ${PROJECT_SOURCE_DIR}/wit/include)
  target_link_libraries(${target} PUBLIC PkgConfig::TREE_SITTER PkgConfig::XXHASH)
  target_compile_definitions(${target} PRIVATE
    WITGEN_VERSION_STRING="${PROJECT_VERSION}")
  set_property(GLOBAL APPEND PROPERTY WITGEN_LAYERS ${target})
endfunction()

# Adds subdirectory `dir` when it has a CMakeLists.txt (layers grow over time).
function(witgen_add_optional_subdirectory dir)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/CMakeLists.txt)
    add_subdirectory(${dir})
  endif()
endfunction()
