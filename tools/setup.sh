#!/usr/bin/env bash
# Installs everything Wasmux needs on a fresh Debian 12 machine; idempotent.
#   - Debian's Rust 1.96 with its std source and rust-lld (rust-web-llvm, only
#     a Recommends, and recommends are not installed), LLVM 22 (clang, lld, llvm-ar) and
#     wasi-libc: wasm builds with -Zbuild-std (shared/TOOLCHAIN.md);
#   - Node.js (node:wasi is a reference runtime) if `node` is missing;
#   - the PyPI package `wasmtime` (the main reference runtime) in a project venv
#     at target/reference-venv, unless `python3` can already import it;
#   - for the browser: Debian's chromium (headless tests), the npm packages of
#     package-lock.json (xterm.js, playwright-core) in node_modules, and
#     wasm-bindgen-cli at exactly the wasm-bindgen version of Cargo.lock in
#     target/tools (cargo install --root).
# A second run installs nothing and takes a fraction of a second. Quiet on
# success; on failure it says what failed and shows the installer's log.
set -euo pipefail

repo_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv_dir=$repo_dir/target/reference-venv
wasmtime_py_version=50.0.1
packages=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22 clang-22 llvm-22 wasi-libc libclang-rt-22-dev-wasm32 chromium)

log=$(mktemp)
trap 'rm -f "$log"' EXIT

fail() {
    echo "setup.sh: $*" >&2
    if [ -s "$log" ]; then
        echo "---- log ----" >&2
        tail -n 40 "$log" >&2
    fi
    exit 1
}

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        fail "need root (or sudo) to run: $*"
    fi
}

is_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
if ! command -v python3 >/dev/null; then
    packages+=(python3 python3-venv python3-pip)
elif ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    packages+=(python3-venv python3-pip)
fi

missing=()
for package in "${packages[@]}"; do
    is_installed "$package" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || fail "apt-get not found: this script expects Debian 12"
    echo "setup.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q >"$log" 2>&1 || fail "apt-get update failed"
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1 \
        || fail "apt-get install ${missing[*]} failed"
fi

# The Python reference runtime: an existing import is enough.
if ! "$venv_dir/bin/python" -c 'import wasmtime' 2>/dev/null \
    && ! python3 -c 'import wasmtime' 2>/dev/null; then
    echo "setup.sh: installing the PyPI package wasmtime==$wasmtime_py_version in $venv_dir"
    rm -rf "$venv_dir"
    mkdir -p "$(dirname "$venv_dir")"
    python3 -m venv "$venv_dir" >"$log" 2>&1 || fail "python3 -m venv $venv_dir failed"
    "$venv_dir/bin/python" -m pip install -q "wasmtime==$wasmtime_py_version" >>"$log" 2>&1 \
        || fail "pip install wasmtime failed"
    "$venv_dir/bin/python" -c 'import wasmtime' >>"$log" 2>&1 \
        || fail "wasmtime was installed but does not import"
fi

# The browser's npm packages, exactly as package-lock.json says (npm ci
# leaves node_modules/.package-lock.json behind: newer than the lock = done).
if [ ! -f "$repo_dir/node_modules/.package-lock.json" ] \
    || [ "$repo_dir/package-lock.json" -nt "$repo_dir/node_modules/.package-lock.json" ]; then
    echo "setup.sh: installing the npm packages of package-lock.json"
    (cd "$repo_dir" && npm ci --no-audit --no-fund --loglevel=error) >"$log" 2>&1 \
        || fail "npm ci failed"
fi

# wasm-bindgen-cli must be the very version of the wasm-bindgen crate.
bindgen_version=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p}' "$repo_dir/Cargo.lock")
bindgen_root=$repo_dir/target/tools
if [ -n "$bindgen_version" ] \
    && [ "$("$bindgen_root/bin/wasm-bindgen" --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
    echo "setup.sh: installing wasm-bindgen-cli $bindgen_version in $bindgen_root (about 3 minutes)"
    host_cargo=cargo
    command -v cargo >/dev/null || host_cargo=/usr/bin/cargo
    "$host_cargo" install --quiet --force wasm-bindgen-cli --version "=$bindgen_version" \
        --root "$bindgen_root" >"$log" 2>&1 || fail "cargo install wasm-bindgen-cli failed"
fi

# Check that what we rely on is really there.
for tool in /usr/bin/cargo /usr/bin/rustc rust-lld clang-22 wasm-ld-22 llvm-ar-22 node npm /usr/bin/chromium; do
    command -v "$tool" >/dev/null || fail "$tool is still missing after installing"
done
[ -d /usr/lib/rustlib/src/rust/library/std ] || fail "rust-web-src did not provide the std source"
[ -f /usr/lib/wasm32-wasi/crt1-command.o ] || fail "wasi-libc did not provide crt1-command.o"
