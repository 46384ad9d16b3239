#!/usr/bin/env bash
# Installs the built tree into a scratch prefix, then builds and runs the
# consumer program against it twice: with find_package(witgen) and with
# pkg-config. Usage: run_install_test.sh BUILD_DIR SOURCE_DIR SCRATCH_DIR [SANITIZERS]
# A sanitized build's static library needs the sanitizer runtime in the
# consumer too, so SANITIZERS (e.g. address,undefined) is passed on.
set -euo pipefail
build=$1 src=$2 scratch=$3 sanitize=${4:-}
extra=""
if [ -n "$sanitize" ]; then extra="-fsanitize=$sanitize"; fi
rm -rf "$scratch"
prefix=$scratch/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null

echo "== find_package(witgen)"
cmake -S "$src/tests/install/consumer" -B "$scratch/cmake-consumer" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_FLAGS="$extra" \
  -DCMAKE_EXE_LINKER_FLAGS="$extra" >/dev/null
cmake --build "$scratch/cmake-consumer" >/dev/null
"$scratch/cmake-consumer/consumer"

echo "== pkg-config --cflags --libs witgen"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib64/pkgconfig:$(ls -d "$prefix"/lib/*/pkgconfig 2>/dev/null | tr '\n' ':')"
flags=$(pkg-config --cflags --libs --static witgen)
cc -std=c11 $extra -o "$scratch/pc-consumer" "$src/tests/install/consumer/main.c" $flags
"$scratch/pc-consumer"

echo "== installed witgen executable"
"$prefix/bin/witgen" --version
