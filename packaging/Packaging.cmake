# SPDX-License-Identifier: GPL-3.0-or-later
# What the .deb installs and how (`cmake --build BUILD --target package`).
# Included from the root CMakeLists.txt, which CPack needs.

include(GNUInstallDirs)
set(AI2IN_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})
set(AI2IN_RESOURCES_DIR ${CMAKE_CURRENT_LIST_DIR}/../resources)
set(AI2IN_SDK_DIR ${CMAKE_CURRENT_LIST_DIR}/../sdk/python)

# The agent and run_code's driver live beside each other; ai2ind finds them
# in ../lib/ai2in from its own directory.
if(TARGET ai2in-agent)
  install(TARGETS ai2in-agent RUNTIME DESTINATION lib/ai2in)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/../agent/kernel_driver.py DESTINATION lib/ai2in)
endif()

# The Python SDK and its command line, for Debian's python3.
if(EXISTS ${AI2IN_SDK_DIR}/ai2in/__init__.py)
  install(DIRECTORY ${AI2IN_SDK_DIR}/ai2in DESTINATION lib/python3/dist-packages
          PATTERN "__pycache__" EXCLUDE PATTERN "*.pyc" EXCLUDE)
  install(PROGRAMS ${AI2IN_PACKAGING_DIR}/ai2in.in DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME ai2in)
endif()

# The engine as a system service.
install(FILES ${AI2IN_PACKAGING_DIR}/ai2ind.service DESTINATION lib/systemd/system)

# Desktop integration: menu entry and icons where desktops look for them.
install(FILES ${AI2IN_RESOURCES_DIR}/ai2in-desktop.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${AI2IN_RESOURCES_DIR}/icons/ai2in.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
foreach(size 16 32 48 64 128 256)
  install(FILES ${AI2IN_RESOURCES_DIR}/icons/hicolor/${size}x${size}/ai2in.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
endforeach()

install(FILES ${CMAKE_CURRENT_LIST_DIR}/../README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_CURRENT_LIST_DIR}/../LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ai2in)
set(CPACK_PACKAGE_VENDOR "ai2in")
set(CPACK_PACKAGE_CONTACT "ai2in maintainers <maintainers@ai2in.dev>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Sandboxes for AI agents on your own machine, with a desktop manager")
set(CPACK_PACKAGE_DESCRIPTION
    "ai2in runs isolated Linux sandboxes (runc containers, no VM or cloud needed) that AI agents create and use through an SDK, and a desktop app to watch and steer them. The package has the engine (ai2ind, as a systemd service), the in-sandbox agent, the desktop app, and the Python SDK with its command line.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Debug info stays in the build tree; the agent shrinks from 22 MB to 2.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://ai2in.dev")
# Shared libraries (Qt, SQLite, QtKeychain) are found by dpkg-shlibdeps; these
# are what it cannot see: programs the engine runs and Qt's plugins.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The list lives in depends.txt, which ./dev.sh installs from too.
file(STRINGS ${AI2IN_PACKAGING_DIR}/depends.txt ai2in_depends REGEX "^[^#]")
list(TRANSFORM ai2in_depends STRIP)
list(JOIN ai2in_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${AI2IN_PACKAGING_DIR}/depends.txt)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${AI2IN_PACKAGING_DIR}/deb/postinst ${AI2IN_PACKAGING_DIR}/deb/prerm ${AI2IN_PACKAGING_DIR}/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

# The install test: the .deb into a fresh Debian 12 root, and out again.
if(AI2IN_BUILD_TESTS)
  add_test(NAME install_deb
           COMMAND bash ${AI2IN_PACKAGING_DIR}/test-install.sh ${CMAKE_BINARY_DIR} ${PROJECT_VERSION})
  set_tests_properties(install_deb PROPERTIES RUN_SERIAL TRUE TIMEOUT 1800 LABELS install)
  # The set-up on a pristine Debian 12 root: dev.sh deps, configure, build;
  # then the .deb with nothing but its Depends.
  add_test(NAME pristine_setup
           COMMAND bash ${AI2IN_PACKAGING_DIR}/test-pristine.sh ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR} ${PROJECT_VERSION})
  set_tests_properties(pristine_setup PROPERTIES RUN_SERIAL TRUE TIMEOUT 2700 LABELS install)
  add_test(NAME devsh_refuses_other_systems
           COMMAND bash ${AI2IN_PACKAGING_DIR}/test-devsh-refusal.sh ${CMAKE_SOURCE_DIR})

  # The desktop code builds on macOS and Windows too: no POSIX-only headers.
  # The second test proves the check can fail.
  set(portable_dirs)
  foreach(dir app ui model protocol)
    if(EXISTS ${CMAKE_SOURCE_DIR}/${dir})
      list(APPEND portable_dirs ${CMAKE_SOURCE_DIR}/${dir})
    endif()
  endforeach()
  add_test(NAME portable_desktop_sources
           COMMAND bash ${AI2IN_PACKAGING_DIR}/check-portable-sources.sh ${portable_dirs})
  add_test(NAME portable_check_rejects_posix
           COMMAND bash ${AI2IN_PACKAGING_DIR}/check-portable-sources.sh ${AI2IN_PACKAGING_DIR}/testdata)
  set_tests_properties(portable_check_rejects_posix PROPERTIES
    PASS_REGULAR_EXPRESSION "posix_include.cpp:4:#include <sys/stat.h>.*posix_include.cpp:5:#include <unistd.h>")
endif()
