#!/usr/bin/env bash
# Builds the manylinux2014 (glibc 2.17) abi3 wheel of pycsikit: one wheel for
# CPython 3.9 and later on x86_64 Linux (RHEL/CentOS 7+, Ubuntu 18.04+), installed
# with `pip install pycsikit-*.whl` without Rust. maturin links with Zig
# (`--zig`), so no manylinux Docker image is needed; Zig comes from PyPI
# (`pip install ziglang`).
#
# Measured on the project's 2-core machine (busy, load 5-7): 7 min 51 s cold (the
# whole release build), a 3.0 MB wheel tagged cp39-abi3-manylinux2014_x86_64 /
# manylinux_2_17_x86_64 whose extension needs GLIBC_2.17 at most; `pip install` of
# it into a fresh venv took 8 s with no cargo on PATH.
#
# Usage: python/tools/build_wheel.sh [OUT_DIR]     (default: python/dist)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$here/dist}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "maturin>=1.9,<2" ziglang
cd "$here"
PATH="$work/venv/bin:$PATH" maturin build --release --zig --compatibility manylinux2014 --out "$out"
wheel="$(ls -t "$out"/pycsikit-*manylinux*.whl | head -1)"
echo "built $wheel"
# The extension must not need a glibc newer than 2.17.
if command -v objdump >/dev/null 2>&1; then
    unzip -q -o "$wheel" 'csikit/_csikit*.so' -d "$work/x"
    newest=$(objdump -T "$work"/x/csikit/_csikit*.so | grep -o 'GLIBC_[0-9.]*' | sort -t. -k2,2n -k3,3n -u | tail -1)
    echo "newest glibc symbol: $newest"
    case "$newest" in
        GLIBC_2.1[0-7]|GLIBC_2.[0-9]|GLIBC_2.[0-9].*|GLIBC_2.1[0-7].*) ;;
        *) echo "the wheel needs $newest, newer than manylinux2014's 2.17" >&2; exit 1 ;;
    esac
fi
