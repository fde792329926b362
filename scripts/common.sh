# Sourced by scripts/test and scripts/run (not run on its own): shared steps and helpers.
# Expects `set -euo pipefail` in the caller.

# The repository root, whatever directory the caller was started from.
MESSENGER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$MESSENGER_ROOT" || exit 1

# The step being run, named in the error message when the script fails.
MESSENGER_STEP="starting"
messenger_script="$(basename "$0")"

# Each step says how long the script has run (where CI's time goes).
step() {
    MESSENGER_STEP="$1"
    printf '==> %s: %s  [%dm%02ds]\n' "$messenger_script" "$1" $((SECONDS / 60)) $((SECONDS % 60))
}

on_exit() {
    local status=$?
    if [ "$status" -ne 0 ]; then
        echo >&2
        echo "$messenger_script: FAILED (exit $status) during: $MESSENGER_STEP" >&2
    fi
}
trap on_exit EXIT

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

# Runs a command as the postgres system user (from /, which that user can always enter).
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && sudo -u postgres -- "$@")
    fi
}

# Configures build/ with Ninja. BUILD_TYPE (default RelWithDebInfo) and CMAKE_ARGS (extra
# arguments, split on spaces, e.g. "-DENABLE_SANITIZERS=ON") come from the environment.
# ENABLE_SANITIZERS is reset to OFF unless CMAKE_ARGS says otherwise, so one sanitizer run does
# not stick to the build directory.
configure_build() {
    local extra=()
    read -r -a extra <<< "${CMAKE_ARGS:-}"
    if [ -f build/CMakeCache.txt ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' build/CMakeCache.txt; then
        echo "build/ was configured with another CMake generator; remove it (rm -rf build) and retry" >&2
        return 1
    fi
    # Line tables only (-g1): backtraces keep file and line, and the build takes a quarter less
    # time than with full debug information (CI's budget); debian/rules builds with its own flags.
    cmake -S . -B build -G Ninja \
        -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
        -DENABLE_SANITIZERS=OFF \
        "${extra[@]}"
}
