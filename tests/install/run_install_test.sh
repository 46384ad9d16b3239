#!/usr/bin/env bash
# Installs the built tree into a scratch prefix, then builds and runs the
# consumer program against it twice: with find_package(witgen) and with
# pkg-config. Usage: run_install_test.sh BUILD_DIR SOURCE_DIR SCRATCH_DIR
set -euo pipefail
build=$1 src=$2 scratch=$3
rm -rf "$scratch"
prefix=$scratch/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null

echo "== find_package(witgen)"
cmake -S "$src/tests/install/consumer" -B "$scratch/cmake-consumer" \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$scratch/cmake-consumer" >/dev/null
"$scratch/cmake-consumer/consumer"

echo "== pkg-config --cflags --libs witgen"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib64/pkgconfig:$(ls -d "$prefix"/lib/*/pkgconfig 2>/dev/null | tr '\n' ':')"
flags=$(pkg-config --cflags --libs --static witgen)
cc -std=c11 -o "$scratch/pc-consumer" "$src/tests/install/consumer/main.c" $flags
"$scratch/pc-consumer"

echo "== installed witgen executable"
"$prefix/bin/witgen" --version
