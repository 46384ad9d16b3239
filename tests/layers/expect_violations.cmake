cmake_minimum_required(VERSION 3.25)
# Runs check_layers.cmake on the planted tree (tests/layers/planted), which
# breaks every rule once, and expects it to fail naming each violation.
execute_process(
  COMMAND ${CMAKE_COMMAND} -DROOT=${PLANTED} -DTABLE=${PLANTED}/layers.txt
          -P ${CHECKER}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
message("${all}")
if(rc EQUAL 0)
  message(FATAL_ERROR "the layering check passed a tree that breaks it")
endif()
foreach(expected
    "layer `parser` depends on `runtime`, which is not below it"
    "runtime/src/private.c: includes \"wit_internal.h\" (found only in parser/src"
    "runtime/src/upward.c: includes \"witgen/wit.h\" (found only in parser/include"
    "parser/src/reach.c: includes \"../../runtime/src/ok.c\" (reaches out"
    "layering: 4 violation")
  string(FIND "${all}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "not reported: ${expected}")
  endif()
endforeach()
foreach(unexpected "ok.c: includes" "cli/main.c")
  string(FIND "${all}" "${unexpected}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "wrongly reported: ${unexpected}")
  endif()
endforeach()
message("planted violations: all 4 reported")
