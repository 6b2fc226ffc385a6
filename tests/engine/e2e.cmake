# SPDX-License-Identifier: GPL-3.0-or-later
# End-to-end suites of ai2ind: each program starts the real engine with real
# runc and the built `base` template. Included by tests/engine/CMakeLists.txt.

if(NOT TARGET ai2in_e2e_support)
  add_library(ai2in_e2e_support STATIC
    ${CMAKE_CURRENT_LIST_DIR}/ApiResponse.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ApiClient.cpp
    ${CMAKE_CURRENT_LIST_DIR}/EngineProcess.cpp)
  target_include_directories(ai2in_e2e_support PUBLIC ${CMAKE_CURRENT_LIST_DIR})
  target_link_libraries(ai2in_e2e_support PUBLIC Qt6::Core Qt6::Network Qt6::Test)
  target_compile_definitions(ai2in_e2e_support PUBLIC
    AI2IN_ENGINE_PATH="$<TARGET_FILE:ai2ind>"
    AI2IN_RUNC="/usr/sbin/runc")
  # The engine must be built before a suite can start it.
  add_dependencies(ai2in_e2e_support ai2ind)
endif()

foreach(suite tst_lifecycle tst_restart tst_badinput tst_commands_files tst_reaper tst_preview tst_interactive tst_activity_metrics
              tst_doctor
              tst_hostile_clients
              tst_confinement
              tst_disk_caps
              tst_sudden_death
              tst_preview_routing
              tst_uid_ranges
              tst_network
              tst_egress
              tst_file_streaming
              tst_warm_pool
              )
  add_executable(${suite} ${CMAKE_CURRENT_LIST_DIR}/${suite}.cpp)
  target_link_libraries(${suite} PRIVATE ai2in_e2e_support Qt6::Core Qt6::Network Qt6::Test)
  target_compile_definitions(${suite} PRIVATE
    AI2IN_ENGINE_PATH="$<TARGET_FILE:ai2ind>"
    AI2IN_RUNC="/usr/sbin/runc")
  add_test(NAME ${suite} COMMAND ${suite})
  # Sandboxes are real containers on a shared 2-core machine: one suite at a
  # time, with room for pause/resume cycles and timeouts that really elapse.
  set_tests_properties(${suite} PROPERTIES TIMEOUT 600 RUN_SERIAL TRUE LABELS e2e)
endforeach()

# Memory and processes also checks the pure parsers it relies on: the
# engine's (SandboxWatchdog, SessionKiller) and the agent's MemoryCgroup.
foreach(suite tst_memory_processes)
  add_executable(${suite} ${CMAKE_CURRENT_LIST_DIR}/${suite}.cpp ${PROJECT_SOURCE_DIR}/agent/MemoryCgroup.cpp)
  target_link_libraries(${suite} PRIVATE ai2in_e2e_support ai2in_engine Qt6::Core Qt6::Network Qt6::Test)
  add_test(NAME ${suite} COMMAND ${suite})
  set_tests_properties(${suite} PROPERTIES TIMEOUT 600 RUN_SERIAL TRUE LABELS e2e)
endforeach()

# The network suite's test host runs scripts from its directory.
target_sources(tst_network PRIVATE ${CMAKE_CURRENT_LIST_DIR}/TestHost.h ${CMAKE_CURRENT_LIST_DIR}/TestHost.cpp)
target_compile_definitions(tst_network PRIVATE AI2IN_NETWORK_TEST_DIR="${CMAKE_CURRENT_LIST_DIR}/network")

# The preview suite speaks raw HTTP and WebSocket to the proxy.
target_sources(tst_preview PRIVATE ${CMAKE_CURRENT_LIST_DIR}/PreviewClient.cpp)
target_link_libraries(tst_preview PRIVATE Qt6::WebSockets)
target_sources(tst_preview_routing PRIVATE ${CMAKE_CURRENT_LIST_DIR}/PreviewClient.cpp)
target_sources(tst_interactive PRIVATE ${CMAKE_CURRENT_LIST_DIR}/WsProbe.h)
target_link_libraries(tst_interactive PRIVATE Qt6::WebSockets)
target_sources(tst_hostile_clients PRIVATE ${CMAKE_CURRENT_LIST_DIR}/WsProbe.h)
target_link_libraries(tst_hostile_clients PRIVATE Qt6::WebSockets)

# Dozens of SIGKILLs, each followed by a restart, plus template builds and a
# SIGTERM that waits out its 10 s bound: about 5 minutes on a busy 2-core host.
target_link_libraries(tst_sudden_death PRIVATE Qt6::Sql)
set_tests_properties(tst_sudden_death PROPERTIES TIMEOUT 900)
