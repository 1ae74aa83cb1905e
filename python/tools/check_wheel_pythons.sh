#!/usr/bin/env bash
# Installs a built pycsikit wheel into a clean virtualenv of every CPython the
# wheel claims (3.9 and later, abi3), each on the Linux distribution that ships
# that Python, and runs the Python test suite there — with no Rust, no cargo and
# no compiler inside. Each distribution is a minimal debootstrap chroot (cached
# under $CSIKIT_CHROOTS, default /var/tmp/csikit-chroots), so every run also
# checks the wheel against that distribution's own glibc:
#
#   Ubuntu 20.04 focal   glibc 2.31  Python 3.9  (universe)
#   Debian 11 bullseye   glibc 2.31  Python 3.9
#   Ubuntu 22.04 jammy   glibc 2.35  Python 3.10
#   Debian 12 bookworm   glibc 2.36  Python 3.11
#   Ubuntu 24.04 noble   glibc 2.39  Python 3.12
#   Debian 13 trixie     glibc 2.41  Python 3.13
#   Debian sid           glibc 2.43  Python 3.14
#
# Not a CI step (it downloads ~1.5 GB of distributions); run it on a release.
# Needs root (chroot, mount), debootstrap, and the network to the Debian and
# Ubuntu mirrors and the Python package index. The Ubuntu archive key comes from
# Ubuntu's ubuntu-keyring package (Debian 12 does not ship it).
#
# Usage: python/tools/check_wheel_pythons.sh WHEEL [SUITE ...]
#        (default: every suite above; e.g. `... WHEEL focal trixie`)
# Prints one line per suite: glibc, Python, pip install time, pytest summary.
set -euo pipefail
wheel="$(realpath "$1")"
shift
repo="$(cd "$(dirname "$0")/../.." && pwd)"
root="${CSIKIT_CHROOTS:-/var/tmp/csikit-chroots}"
debian=http://deb.debian.org/debian
ubuntu=http://archive.ubuntu.com/ubuntu
declare -A python=([focal]=3.9 [bullseye]=3.9 [jammy]=3.10 [bookworm]=3.11 [noble]=3.12 [trixie]=3.13 [sid]=3.14)
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(focal bullseye jammy bookworm noble trixie sid)
mkdir -p "$root"

ubuntu_keyring() {
    local key="$root/ubuntu-archive-keyring.gpg"
    if [ ! -s "$key" ]; then
        local deb
        deb=$(curl -fsS "$ubuntu/dists/jammy/main/binary-amd64/Packages.xz" | xz -d |
            awk '/^Package: ubuntu-keyring$/{p=1} p&&/^Filename:/{print $2; exit}')
        local tmp
        tmp=$(mktemp -d)
        curl -fsS -o "$tmp/k.deb" "$ubuntu/$deb"
        dpkg -x "$tmp/k.deb" "$tmp/x"
        cp "$tmp/x/usr/share/keyrings/ubuntu-archive-keyring.gpg" "$key"
        rm -rf "$tmp"
    fi
    echo "$key"
}

for suite in "${suites[@]}"; do
    py="${python[$suite]:?unknown suite $suite}"
    dir="$root/$suite"
    if [ ! -x "$dir/usr/bin/python$py" ]; then
        echo "== $suite: debootstrap (minbase) and python$py" >&2
        umount "$dir/proc" "$dir/dev/shm" 2>/dev/null || true
        rm -rf "$dir"
        case "$suite" in
            # Every Ubuntu suite bootstraps with debootstrap's `gutsy` script
            # (Debian 12's debootstrap has no `noble` entry).
            focal | jammy | noble)
                args=(--components=main,universe --keyring="$(ubuntu_keyring)" "$suite" "$dir" "$ubuntu"
                      /usr/share/debootstrap/scripts/gutsy) ;;
            *) args=("$suite" "$dir" "$debian") ;;
        esac
        if ! debootstrap --variant=minbase "${args[@]}" >"$root/$suite.log" 2>&1; then
            echo "$suite: debootstrap failed, see $root/$suite.log"
            continue
        fi
        cp /etc/resolv.conf "$dir/etc/resolv.conf"
        case "$suite" in
            # Ubuntu 20.04's Python 3.9 came with focal-updates.
            focal | jammy | noble)
                printf 'deb %s %s main universe\ndeb %s %s-updates main universe\n' \
                    "$ubuntu" "$suite" "$ubuntu" "$suite" >"$dir/etc/apt/sources.list" ;;
        esac
        # A mirror's sid may carry a Release file past its Valid-Until date.
        if ! chroot "$dir" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -c \
            "apt-get -o Acquire::Check-Valid-Until=false update -qq &&
             apt-get install -y -qq python$py python$py-venv ca-certificates" \
            >>"$root/$suite.log" 2>&1; then
            echo "$suite: installing python$py failed, see $root/$suite.log"
            continue
        fi
    fi
    cp /etc/resolv.conf "$dir/etc/resolv.conf"
    # A clean copy of the tests and their data (and the error catalog they check); no Rust sources.
    rm -rf "$dir/csikit-check"
    mkdir -p "$dir/csikit-check"
    (cd "$repo" && tar cf - python/tests tests/data docs src/error.rs) | tar xf - -C "$dir/csikit-check"
    cp "$wheel" "$dir/csikit-check/"
    # pip inside trusts what the host trusts (a proxy's CA, say).
    cp "${PIP_CERT:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}" "$dir/csikit-check/ca.crt"
    # /proc and a /dev/shm (Dask's process scheduler needs POSIX semaphores).
    mountpoint -q "$dir/proc" || mount -t proc proc "$dir/proc"
    mkdir -p "$dir/dev/shm"
    mountpoint -q "$dir/dev/shm" || mount -t tmpfs shm "$dir/dev/shm"
    trap 'umount "$dir/proc" "$dir/dev/shm" 2>/dev/null || true' EXIT
    glibc=$(chroot "$dir" /usr/bin/getconf GNU_LIBC_VERSION | awk '{print $2}')
    set +e
    out=$(chroot "$dir" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root PIP_CERT=/csikit-check/ca.crt bash -c "
        set -e
        cd /csikit-check
        for tool in cargo rustc cc gcc; do
            if command -v \$tool >/dev/null; then echo \"\$tool is present\"; exit 3; fi
        done
        python$py -m venv venv
        # The distribution's own pip may predate the manylinux tags of numpy's and pandas' wheels.
        venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
        start=\$(date +%s)
        venv/bin/python -m pip install -q --disable-pip-version-check ./$(basename "$wheel")
        echo install_seconds=\$(( \$(date +%s) - start ))
        venv/bin/python -c 'import csikit, sys; print(\"python\", sys.version.split()[0], \"csikit\", csikit.__version__ if hasattr(csikit, \"__version__\") else \"\")'
        # Optional extras the tests use where the index has them for this Python.
        venv/bin/python -m pip install -q --disable-pip-version-check pytest pyarrow polars duckdb 'dask[dataframe]' || true
        cd /tmp
        venv=/csikit-check/venv
        \$venv/bin/python -m pytest -q -p no:cacheprovider /csikit-check/python/tests >/csikit-check/pytest.log 2>&1 || true
        tail -15 /csikit-check/pytest.log
    " 2>&1)
    rc=$?
    set -e
    umount "$dir/proc" "$dir/dev/shm" 2>/dev/null || true
    summary=$(echo "$out" | grep -E '[0-9]+ (passed|failed|errors?)' | tail -1 || true)
    secs=$(echo "$out" | grep -o 'install_seconds=[0-9]*' | cut -d= -f2 || true)
    cp "$dir/csikit-check/pytest.log" "$root/$suite.pytest.log" 2>/dev/null || true
    echo "$suite glibc $glibc python $py: pip install ${secs:-?} s; pytest: ${summary:-none} (rc $rc; log $root/$suite.pytest.log)"
    if [ $rc -ne 0 ] || ! echo "$summary" | grep -q passed || echo "$summary" | grep -qE 'failed|error'; then
        echo "$out" | tail -40 >&2
    fi
done
