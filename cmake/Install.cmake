# Install rules: the `witgen` executable, the library, the public headers,
# a CMake package (find_package(witgen) -> witgen::witgen) and witgen.pc.
install(TARGETS witgen EXPORT witgenTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS witgen_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(layer base binary parser runtime codegen compose)
  if(EXISTS ${PROJECT_SOURCE_DIR}/${layer}/include/witgen)
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/${layer}/include/witgen
            DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h"
            PATTERN "*.def")
  endif()
endforeach()

set(WITGEN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/witgen)
install(EXPORT witgenTargets NAMESPACE witgen:: DESTINATION ${WITGEN_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/witgenConfig.cmake.in
  ${PROJECT_BINARY_DIR}/witgenConfig.cmake INSTALL_DESTINATION ${WITGEN_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/witgenConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/witgenConfig.cmake
              ${PROJECT_BINARY_DIR}/witgenConfigVersion.cmake
        DESTINATION ${WITGEN_CMAKE_DIR})

# witgen.pc is relocatable: `prefix` is derived from the .pc file's own
# location, so `cmake --install --prefix X` yields a working file. An
# absolute LIBDIR/INCLUDEDIR is kept as given.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(WITGEN_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(WITGEN_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  set(up "\${pcfiledir}/..")
  string(REPLACE "/" ";" parts "${CMAKE_INSTALL_LIBDIR}")
  foreach(part IN LISTS parts)
    string(APPEND up "/..")
  endforeach()
  set(WITGEN_PC_PREFIX "${up}")
  set(WITGEN_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(WITGEN_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(WITGEN_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/witgen.pc.in
               ${PROJECT_BINARY_DIR}/witgen.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/witgen.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
