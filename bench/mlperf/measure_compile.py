#!/usr/bin/env python3
"""Times the compilation of every model's firmware translation unit against its weights-only one.

    measure_compile.py --build <dir> --label <rv32|host> --out <raw.csv> [--reps N] [--models kws ...]

For each model, the firmware TU is bench/mlperf/deploy_minimal.cpp as built for bench_deploy_<m>:
its exact compile command is taken from <dir>/compile_commands.json. The weights-only TU
(<dir>/bench/mlperf/generated/<m>_weights_only.cpp) is compiled with the *same* command, only the
source file changed, so both see identical flags; so is bench/mlperf/deploy_plain_kernels.cpp, the same
application on the frozen plain kernels (tu "plain_kernels"). Each compilation runs under GNU time
(`/usr/bin/time -f "%e %U %S %M"`), one at a time, writing its object to a scratch directory (the
build tree is not touched). Once per run, bench/mlperf/headers_only.cpp (only #include
<htvm/htvm.hpp>) is timed the same way with the first model's command (model "-"). Appends one row per compilation to <raw.csv>:
    label,compiler,model,tu,rep,wall_s,user_s,sys_s,max_rss_kb
GNU time's %M is the largest resident set of the compiler's processes (cc1plus), in KiB. Without
GNU time the same fields come from wait4() (which GNU time itself uses).
"""
import argparse
import csv
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

GNU_TIME = "/usr/bin/time"


def find_command(entries, model):
    marker = f"bench_deploy_{model}.dir"
    for e in entries:
        if e["file"].endswith("bench/mlperf/deploy_minimal.cpp") and marker in e.get("command", ""):
            return e
    return None


def timed_wait4(args, cwd):
    """Without GNU time: the same numbers from wait4(), which is what GNU time reads too."""
    import time
    start = time.monotonic()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stderr.write(output)
        raise SystemExit(f"measure_compile: this compilation failed (exit {proc.returncode}):\n  "
                         + " ".join(shlex.quote(a) for a in args))
    return wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss


def timed(args, cwd):
    if not os.access(GNU_TIME, os.X_OK):
        return timed_wait4(args, cwd)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as times:
        proc = subprocess.run([GNU_TIME, "-f", "%e %U %S %M", "-o", times.name] + args, cwd=cwd,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout)
            raise SystemExit(f"measure_compile: this compilation failed (exit {proc.returncode}):\n  "
                             + " ".join(shlex.quote(a) for a in args))
        fields = times.read().split()[-4:]
    wall, user, system, rss = fields
    return float(wall), float(user), float(system), int(rss)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", required=True)
    p.add_argument("--label", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--models", nargs="+", default=["kws", "ic", "vww", "ad"])
    a = p.parse_args()

    entries = json.load(open(os.path.join(a.build, "compile_commands.json")))
    new_file = not os.path.exists(a.out)
    with open(a.out, "a", newline="") as out, tempfile.TemporaryDirectory() as scratch:
        w = csv.writer(out)
        if new_file:
            w.writerow(["label", "compiler", "model", "tu", "rep", "wall_s", "user_s", "sys_s", "max_rss_kb"])
        for model in a.models:
            e = find_command(entries, model)
            if e is None:
                raise SystemExit(f"measure_compile: no compile command for bench_deploy_{model} in {a.build}; "
                                 "was it configured with -DHTVM_BENCH_MLPERF=ON?")
            args = shlex.split(e["command"])
            source = e["file"]
            weights = os.path.abspath(os.path.join(a.build, "bench", "mlperf", "generated", f"{model}_weights_only.cpp"))
            if not os.path.exists(weights):
                raise SystemExit(f"measure_compile: {weights} is missing; build the target bench_{model}_sources")
            # The real driver behind names such as /usr/bin/c++ (an alternatives link to g++).
            compiler = os.path.basename(os.path.realpath(shutil.which(args[0]) or args[0]))
            tus = [("firmware", source), ("weights_only", weights),
                   ("plain_kernels", os.path.join(os.path.dirname(source), "deploy_plain_kernels.cpp"))]
            if model == a.models[0]:
                tus.append(("headers_only", os.path.join(os.path.dirname(source), "headers_only.cpp")))
            for tu, path in tus:
                run = []
                skip = False
                for k, arg in enumerate(args):
                    if skip:
                        skip = False
                        continue
                    if arg == "-o":
                        run += ["-o", os.path.join(scratch, f"{model}_{tu}.o")]
                        skip = True
                    elif arg == source:
                        run.append(path)
                    else:
                        run.append(arg)
                for rep in range(a.reps):
                    wall, user, system, rss = timed(run, e["directory"])
                    w.writerow([a.label, compiler, model if tu != "headers_only" else "-", tu, rep, wall, user,
                                system, rss])
                    out.flush()
                    print(f"  {a.label} {model} {tu} #{rep}: {user + system:.2f} s CPU, {wall:.2f} s wall, "
                          f"{rss / 1024:.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
