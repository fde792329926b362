# Runs messenger-bench with tiny sizes and checks that it exits cleanly and writes JSON that
# parses and holds figures. Invoked by ctest (-L bench) with BENCH and JSON set.
file(REMOVE "${JSON}")
execute_process(
    COMMAND "${BENCH}" --quick --scenario direct,fresh --db sqlite --no-pgbench
            --pgbench-seconds 1 --pairs 4 --duration 1 --warmup 0.2
            --fresh-seconds 2 --fresh-window 1 --json "${JSON}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
message("${output}")
if(NOT result EQUAL 0)
    message(FATAL_ERROR "messenger-bench exited with ${result}")
endif()
if(NOT EXISTS "${JSON}")
    message(FATAL_ERROR "messenger-bench wrote no ${JSON}")
endif()
file(READ "${JSON}" json)
string(JSON figures ERROR_VARIABLE error LENGTH "${json}" figures)
if(error)
    message(FATAL_ERROR "the JSON does not parse: ${error}")
endif()
if(figures LESS 1)
    message(FATAL_ERROR "the JSON holds no figures")
endif()
string(JSON errors LENGTH "${json}" errors)
if(NOT errors EQUAL 0)
    string(JSON first GET "${json}" errors 0 error)
    message(FATAL_ERROR "the run reported errors: ${first}")
endif()
