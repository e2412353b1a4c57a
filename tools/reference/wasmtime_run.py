"""Runs a wasm32-wasip1 program under Wasmtime (the PyPI package `wasmtime`).

    python3 wasmtime_run.py [--dir HOST::GUEST]... [--env KEY=VALUE]... [--fuel N] [--] prog.wasm [args...]

The same command line and exit statuses as `wasmux run`, so that a guest program's
output can be compared between the two: stdio are inherited, the status is the
program's (proc_exit code, 0 when _start returns), 127 for a missing file, 126 for
an invalid module, 134 with a message on stderr for a trap. argv[0] is the
program path as given, like `wasmtime run`.
"""

import os
import sys

USAGE = "usage: wasmtime_run.py [--dir HOST::GUEST]... [--env KEY=VALUE]... [--fuel N] [--] prog.wasm [args...]"
EXIT_TRAP = 134


def parse(argv):
    dirs, env, fuel = [], [], None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if arg in ("--dir", "--env", "--fuel") and i + 1 < len(argv):
            value = argv[i + 1]
            if arg == "--dir":
                host, sep, guest = value.partition("::")
                dirs.append((host, guest if sep else host))
            elif arg == "--env":
                key, sep, val = value.partition("=")
                if not sep:
                    sys.exit(f"wasmtime_run: --env needs KEY=VALUE, got {value!r}")
                env.append((key, val))
            else:
                fuel = int(value)
            i += 2
            continue
        if arg.startswith("--"):
            sys.exit(f"wasmtime_run: unknown option {arg}\n{USAGE}")
        break
    if i >= len(argv):
        sys.exit(USAGE)
    return dirs, env, fuel, argv[i], argv[i + 1:]


def main(argv):
    dirs, env, fuel, program, args = parse(argv)
    if not os.path.isfile(program):
        print(f"wasmtime_run: {program}: no such file", file=sys.stderr)
        return 127

    import wasmtime

    config = wasmtime.Config()
    if fuel is not None:
        config.consume_fuel = True
    engine = wasmtime.Engine(config)
    try:
        module = wasmtime.Module.from_file(engine, program)
    except wasmtime.WasmtimeError as error:
        print(f"wasmtime_run: {program}: invalid module: {error}", file=sys.stderr)
        return 126

    wasi = wasmtime.WasiConfig()
    wasi.argv = [program] + args
    wasi.env = env
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    for host, guest in dirs:
        wasi.preopen_dir(host, guest)

    store = wasmtime.Store(engine)
    store.set_wasi(wasi)
    if fuel is not None:
        store.set_fuel(fuel)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()

    sys.stdout.flush()
    try:
        instance = linker.instantiate(store, module)
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as exit_trap:
        return exit_trap.code
    except (wasmtime.Trap, wasmtime.WasmtimeError) as trap:
        print(f"wasmtime_run: trap: {trap}", file=sys.stderr)
        return EXIT_TRAP
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
