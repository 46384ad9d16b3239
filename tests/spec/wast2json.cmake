# Runs wast2json; a script wast2json cannot convert leaves an empty command
# list (so the runner reports it) instead of failing the build.
# FLAGS: extra wast2json options (a list), e.g. --enable-multi-memory.
execute_process(COMMAND ${TOOL} ${FLAGS} ${IN} -o ${OUT} RESULT_VARIABLE rc
                OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(WARNING "wast2json failed on ${IN}: ${err}")
  file(WRITE ${OUT} "{\"source_filename\": \"${IN}\", \"commands\": []}")
endif()
