# Fails the configure step when the tablet app's code uses an API that Qt for Android does not
# have, or that makes no sense on a phone or tablet (docs/android.md lists why each is refused).
# Usable as a script too (ctest runs it against a file that breaks each rule):
#   cmake -DREKAP_PORTABLE_DIRS="dir;dir" -P CheckPortable.cmake
# A line that must keep such a call says why with the comment "portable: <reason>".

set(REKAP_DESKTOP_ONLY
    "QtWidgets|QApplication[^a-zA-Z]|QWidget|QFileDialog|QMessageBox|QSystemTrayIcon"
    "QProcess"
    "Qt\\.labs\\.platform"
    "QStandardPaths::(Desktop|Home|Applications)Location"
    "[^a-zA-Z_](fork|popen|execl|execv|execvp|system)[ ]*\\("
    "getenv\\(\"(DISPLAY|WAYLAND_DISPLAY|XDG_[A-Z_]+|HOME)\"\\)"
    "QX11|xcb_|QWaylandClient|QPlatformNativeInterface"
    "\"/(home|tmp|usr|etc)/"
)

function(rekap_check_portable)
    set(problems "")
    foreach(dir IN LISTS ARGN)
        file(GLOB_RECURSE files "${dir}/*.cpp" "${dir}/*.h" "${dir}/*.qml" "${dir}/*.js")
        foreach(file IN LISTS files)
            file(STRINGS "${file}" lines)
            set(n 0)
            foreach(line IN LISTS lines)
                math(EXPR n "${n} + 1")
                if(line MATCHES "portable: ")
                    continue()
                endif()
                foreach(pattern IN LISTS REKAP_DESKTOP_ONLY)
                    if(line MATCHES "${pattern}")
                        string(APPEND problems "\n  ${file}:${n}: desktop-only (${CMAKE_MATCH_0}): ${line}")
                    endif()
                endforeach()
            endforeach()
        endforeach()
    endforeach()
    if(problems)
        message(FATAL_ERROR "The tablet app must build for Android too (docs/android.md):${problems}")
    endif()
endfunction()

if(CMAKE_SCRIPT_MODE_FILE AND REKAP_PORTABLE_DIRS)
    rekap_check_portable(${REKAP_PORTABLE_DIRS})
    message(STATUS "portable: ${REKAP_PORTABLE_DIRS}")
endif()
