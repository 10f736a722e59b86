# tablet.portable-check: the check for desktop-only APIs (mobile/cmake/CheckPortable.cmake)
# refuses each line of desktop-only/uses_desktop_apis.cpp that uses one, naming file and line,
# and passes the app's own code.
set(fixture "${SOURCE_DIR}/tests/mobile/desktop-only")
execute_process(
    COMMAND ${CMAKE_COMMAND} -DREKAP_PORTABLE_DIRS=${fixture}
        -P ${SOURCE_DIR}/mobile/cmake/CheckPortable.cmake
    RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
if(rc EQUAL 0)
    message(FATAL_ERROR "desktop-only code passed the check")
endif()
foreach(line 2 3 4 7 8 9 10 11)
    if(NOT err MATCHES "uses_desktop_apis.cpp:${line}:")
        message(FATAL_ERROR "line ${line} of the fixture was not refused:\n${err}")
    endif()
endforeach()
execute_process(
    COMMAND ${CMAKE_COMMAND} "-DREKAP_PORTABLE_DIRS=${SOURCE_DIR}/mobile/src\;${SOURCE_DIR}/mobile/qml"
        -P ${SOURCE_DIR}/mobile/cmake/CheckPortable.cmake
    RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the app's own code fails the check:\n${err}")
endif()
message(STATUS "portable check: refuses each desktop-only line, passes the app")
