# SPDX-License-Identifier: GPL-3.0-or-later
# Template builder and store of the engine (Qt Core only). Included by
# engine/CMakeLists.txt; paths are relative to this file so the includer's
# directory does not matter.
add_library(ai2in_template STATIC
  ${CMAKE_CURRENT_LIST_DIR}/TemplateInfo.h ${CMAKE_CURRENT_LIST_DIR}/TemplateInfo.cpp
  ${CMAKE_CURRENT_LIST_DIR}/TemplateStore.h ${CMAKE_CURRENT_LIST_DIR}/TemplateStore.cpp
  ${CMAKE_CURRENT_LIST_DIR}/TemplateBuilder.h ${CMAKE_CURRENT_LIST_DIR}/TemplateBuilder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/TemplateRecipe.h ${CMAKE_CURRENT_LIST_DIR}/TemplateRecipe.cpp
  ${CMAKE_CURRENT_LIST_DIR}/TemplateOwnership.h ${CMAKE_CURRENT_LIST_DIR}/TemplateOwnership.cpp
  ${CMAKE_CURRENT_LIST_DIR}/TemplateBuildProgress.h ${CMAKE_CURRENT_LIST_DIR}/TemplateBuildProgress.cpp
  ${CMAKE_CURRENT_LIST_DIR}/MountInfo.h ${CMAKE_CURRENT_LIST_DIR}/MountInfo.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../TemplateCommand.h ${CMAKE_CURRENT_LIST_DIR}/../TemplateCommand.cpp
)
target_include_directories(ai2in_template PUBLIC ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_CURRENT_LIST_DIR}/..)
target_link_libraries(ai2in_template PUBLIC Qt6::Core)
set_target_properties(ai2in_template PROPERTIES AUTOMOC ON)
