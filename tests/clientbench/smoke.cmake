# Runs messenger-client-bench --quick and checks that it exits cleanly and writes JSON that parses
# and holds the expected figures. Invoked by ctest (-L bench) with BENCH, JSON and CACHE set.
file(REMOVE "${JSON}")
execute_process(
    COMMAND "${BENCH}" --quick --store-cache "${CACHE}" --json "${JSON}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
message("${output}")
if(NOT result EQUAL 0)
    message(FATAL_ERROR "messenger-client-bench exited with ${result}")
endif()
if(NOT EXISTS "${JSON}")
    message(FATAL_ERROR "messenger-client-bench wrote no ${JSON}")
endif()
file(READ "${JSON}" json)
string(JSON count ERROR_VARIABLE error LENGTH "${json}" figures)
if(error)
    message(FATAL_ERROR "the JSON does not parse: ${error}")
endif()
set(keys "")
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
    string(JSON key GET "${json}" figures ${i} key)
    list(APPEND keys "${key}")
endforeach()
foreach(expected cold_start_ms cold_start_rss_mb search_substring_all_p95_ms
        search_cjk_chat_p95_ms search_gui_stall_max_ms history_open_ms history_page_p95_ms
        history_gui_stall_max_ms sync_messages_per_s sync_gui_stall_max_ms steady_rss_mb)
    list(FIND keys "${expected}" found)
    if(found EQUAL -1)
        message(FATAL_ERROR "the JSON has no figure ${expected}")
    endif()
endforeach()
string(JSON errors LENGTH "${json}" errors)
if(NOT errors EQUAL 0)
    string(JSON first GET "${json}" errors 0 error)
    message(FATAL_ERROR "the run reported errors: ${first}")
endif()
