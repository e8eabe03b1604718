# Install rules and the package config, so that find_package(benchgate) gives the same
# namespaced targets as add_subdirectory(), plus add_benchmark() (shipped beside the config).
include_guard(GLOBAL)
include(CMakePackageConfigHelpers)

set(BENCHGATE_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/benchgate"
    CACHE STRING "Where benchgate's CMake package files are installed")

set(_benchgate_installed benchgate_core benchgate benchgate_alloc_count benchgate-runner
  benchgate-compare)
if(TARGET benchgate_gbench_memory)
  list(APPEND _benchgate_installed benchgate_gbench_memory)
endif()
install(TARGETS ${_benchgate_installed}
  EXPORT benchgateTargets
  OBJECTS DESTINATION "${CMAKE_INSTALL_LIBDIR}/benchgate-objects"
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/core/include/" "${PROJECT_SOURCE_DIR}/harness/include/"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT benchgateTargets
  NAMESPACE benchgate::
  DESTINATION "${BENCHGATE_INSTALL_CMAKEDIR}")

configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/benchgateConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/benchgateConfig.cmake"
  INSTALL_DESTINATION "${BENCHGATE_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/benchgateConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/benchgateConfig.cmake"
  "${PROJECT_BINARY_DIR}/benchgateConfigVersion.cmake"
  "${CMAKE_CURRENT_LIST_DIR}/benchgate.cmake"
  DESTINATION "${BENCHGATE_INSTALL_CMAKEDIR}")
