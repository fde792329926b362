# Runs messenger-bench with tiny sizes and checks that it exits cleanly and writes JSON that
# parses and holds figures (the media scenario's too). Invoked by ctest (-L bench) with BENCH and
# JSON set.
file(REMOVE "${JSON}")
execute_process(
    COMMAND "${BENCH}" --quick --scenario direct,fresh,media --db sqlite --no-pgbench
            --pgbench-seconds 1 --pairs 4 --duration 1 --warmup 0.2
            --fresh-seconds 2 --fresh-window 1
            --media-mib 4 --media-users 2 --media-user-mib 1 --media-chat-pairs 2
            --json "${JSON}"
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
# media: every download was compared byte for byte with its upload (a mismatch is an error
# below); here the upload figure must be there, so the transfers did run.
string(FIND "${json}" "\"upload_mb_per_s\"" media)
if(media EQUAL -1)
    message(FATAL_ERROR "the JSON holds no media upload figure")
endif()
string(JSON errors LENGTH "${json}" errors)
if(NOT errors EQUAL 0)
    string(JSON first GET "${json}" errors 0 error)
    message(FATAL_ERROR "the run reported errors: ${first}")
endif()
