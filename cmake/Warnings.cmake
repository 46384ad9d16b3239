# Compiler flags shared by every target of the project.
# witgen_apply_flags(target) adds the warning set; -Werror with WITGEN_WERROR.
set(WITGEN_WARNINGS -Wall -Wextra -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wno-unused-parameter)
if(WITGEN_WERROR)
  list(APPEND WITGEN_WARNINGS -Werror)
endif()

if(WITGEN_SANITIZE)
  add_compile_options(-fsanitize=${WITGEN_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${WITGEN_SANITIZE})
endif()

function(witgen_apply_flags target)
  target_compile_options(${target} PRIVATE ${WITGEN_WARNINGS})
endfunction()

# C11 without extensions hides POSIX; we use POSIX.1-2008 (strdup,
# open_memstream, openat, clock_gettime) on purpose.
add_compile_definitions(_POSIX_C_SOURCE=200809L)

# libFuzzer: every object gets coverage instrumentation; only the fuzz
# executables link the fuzzer's main (tests/fuzz).
if(WITGEN_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "WITGEN_FUZZ needs clang (use the `fuzz` preset)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
