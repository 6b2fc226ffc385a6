# SPDX-License-Identifier: GPL-3.0-or-later
# The version is set in one place, sdk/python/ai2in/_version.py: pip builds
# the Python SDK without CMake, and every program must print the same number.
# Sets AI2IN_PROJECT_VERSION.
file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/../sdk/python/ai2in/_version.py AI2IN_VERSION_LINE REGEX "^__version__ = ")
string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" AI2IN_PROJECT_VERSION "${AI2IN_VERSION_LINE}")
if(NOT AI2IN_PROJECT_VERSION)
  message(FATAL_ERROR "No __version__ = \"X.Y.Z\" line in sdk/python/ai2in/_version.py")
endif()
