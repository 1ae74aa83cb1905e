#!/usr/bin/env bash
# The Python tests, run the way a new user installs csikit: the manylinux2014
# abi3 wheel is built (python/tools/build_wheel.sh; cargo on PATH, Zig from the
# package index), installed with its test extras into a throwaway virtualenv,
# then pytest on python/tests, which includes executing the notebook headless.
# CSIKIT_TEST_FROM=source installs with `pip install ./python` instead.
#
# Build profile: pip/maturin build in release. Measured on the project's 2-core
# machine: a dev build of the extension takes 56 s but the tests then take
# 106 s (the GIL test fits 1.5 million rows in unoptimized code); in release the
# tests take 10 s. Whole script, release: 3 min 14 s cold (compile + downloading
# the test dependencies), 63 s with a warm target dir (49 s install, 10 s tests).
# With assessment, PLSpredict, CSI and monitoring bound (70 tests): 34 s with a warm
# target dir and venv (10 s install, 20 s tests; the GIL tests and the notebook take 12 s).
# With the bootstrap, MGA and CSI-interval bindings (81 tests): 90 s with a warm target dir
# and venv after a Rust change (64 s install, 26 s tests).
# The stub check (regenerating python/csikit/_csikit.pyi from the installed module
# and diffing it; mypy.stubtest) takes about 3 s.
# The cargo target dir is shared with the Rust build ($CARGO_TARGET_DIR, else
# <repo>/target), so a warm target dir rebuilds only what changed.
#
# Usage: python/run_tests.sh [pytest args]      e.g. python/run_tests.sh -k dask
# Environment: PYTHON (interpreter, default python3), CSIKIT_TEST_VENV (reuse
# this venv instead of a throwaway one), CSIKIT_PLS_EXAMPLE (the `pls` example
# binary; default: target/debug/examples/pls if built, else `cargo run`).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
python="${PYTHON:-python3}"

if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo is not installed: pip needs it to build csikit from source (install Rust with rustup)" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
venv="${CSIKIT_TEST_VENV:-$work/venv}"
# What is installed: by default the manylinux2014 abi3 wheel that users install
# (python/tools/build_wheel.sh: maturin --zig, its glibc <= 2.17 check), so the
# tests run on the distributed artifact; CSIKIT_TEST_FROM=source installs with
# `pip install ./python` instead (pip builds from source, as without the wheel).
from="${CSIKIT_TEST_FROM:-wheel}"
start=$SECONDS
case "$from" in
    wheel)
        echo "== build the manylinux2014 abi3 wheel (python/tools/build_wheel.sh)"
        "$here/tools/build_wheel.sh" "$work/dist"
        target="$(ls "$work"/dist/pycsikit-*manylinux*.whl)"
        echo "   built in $((SECONDS - start)) s" ;;
    source) target="$here" ;;
    *) echo "CSIKIT_TEST_FROM must be wheel or source, not $from" >&2; exit 1 ;;
esac
echo "== pip install $(basename "$target")[test] into $venv"
start=$SECONDS
if [ -x "$venv/bin/python" ]; then
    "$venv/bin/python" -m pip install -q "$target[test]"
    "$venv/bin/python" -m pip install -q --force-reinstall --no-deps "$target"
else
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip
    "$venv/bin/python" -m pip install -q "$target[test]"
fi
echo "   installed in $((SECONDS - start)) s"

echo "== type stubs of csikit._csikit: generated from the built module, as checked in"
# Run outside python/ so that `import csikit` is the installed package.
(cd "$work" && "$venv/bin/python" "$here/tools/gen_stubs.py" --output "$work/_csikit.pyi")
if ! diff -u "$here/csikit/_csikit.pyi" "$work/_csikit.pyi"; then
    echo "python/csikit/_csikit.pyi differs from the built module: regenerate it with" >&2
    echo "  python python/tools/gen_stubs.py   (with the package installed) and commit it" >&2
    exit 1
fi
echo "== mypy.stubtest csikit._csikit"
(cd "$work" && "$venv/bin/python" -m mypy.stubtest csikit._csikit)

if [ -z "${CSIKIT_PLS_EXAMPLE:-}" ] && [ -x "$CARGO_TARGET_DIR/debug/examples/pls" ]; then
    export CSIKIT_PLS_EXAMPLE="$CARGO_TARGET_DIR/debug/examples/pls"
fi

echo "== pytest python/tests"
# Run outside python/ so that `import csikit` is the installed package, not the source folder.
cd "$work"
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$here/tests" "$@"
