# SPDX-License-Identifier: GPL-3.0-or-later
# Included by tests/CMakeLists.txt; needs the ai2in_template target.
add_executable(tst_templatestore ${CMAKE_CURRENT_LIST_DIR}/tst_templatestore.cpp)
target_link_libraries(tst_templatestore PRIVATE ai2in_template Qt6::Test)
set_target_properties(tst_templatestore PROPERTIES AUTOMOC ON)
add_test(NAME templatestore COMMAND tst_templatestore)
