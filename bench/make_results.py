#!/usr/bin/env python3
"""Turns the raw outputs of bench/run.sh into bench/results/*.csv and bench/RESULTS.md.

    make_results.py --raw <dir> --results bench/results --markdown bench/RESULTS.md
                    --rv32-build <dir> --host-build <dir> [--keep-compile]

Reads only what bench/run.sh left in --raw (program outputs, section and symbol tables, compile
timings, the machine description) plus the CSVs that other parts of bench/ wrote into --results
(diana_table1.csv, tiler_quality.csv). Never measures anything itself. bench/README.md explains
every number.
"""
import argparse
import csv
import json
import os
import re
import shlex
import sys

MODELS = ["kws", "ic", "vww", "ad"]
TITLES = {
    "kws": "keyword spotting (DS-CNN)",
    "ic": "image classification (ResNet-8)",
    "vww": "visual wake words (MobileNetV1 0.25)",
    "ad": "anomaly detection (FC autoencoder)",
}
# Issue 7's baselines.
CMSIS_NN_INSTRUCTIONS = {"kws": 16_285_500, "ic": 65_383_303, "vww": 48_711_014, "ad": 1_478_105}
TVM_DIANA_CYCLES = {"kws": 12_500_000, "ic": 34_900_000, "vww": None, "ad": 1_220_000}  # None: out of memory
INSTRUCTION_GOAL = {"kws": 12_500_000, "ic": 34_900_000, "vww": 29_000_000, "ad": 1_220_000}
TFLM_ARENA_BYTES = {"kws": 24_000, "ic": 55_712, "vww": 103_392, "ad": 3_424}
FLASH_GOAL_OVER_CONSTANTS = 12 * 1024
COMPILE_GOAL_RATIO = 3.0
COMPILE_GOAL_SECONDS = 30.0
COMPILE_GOAL_MB = 2048.0  # MiB


# ---- reading ---------------------------------------------------------------------------------

def read_program_output(path):
    """The machine-readable lines of bench_mlperf.cpp, or None when the file is missing."""
    if not os.path.exists(path):
        return None
    out = {"layers": [], "exit": None}
    for line in open(path, errors="replace"):
        f = line.strip().split(",")
        key = f[0]
        if key == "bench" and len(f) >= 5:
            out["machine"], out["counter"], out["tick_unit"] = f[2], f[3], f[4]
        elif key == "memory" and len(f) >= 6:
            out["arena"], out["lower_bound"], out["input_bytes"], out["output_bytes"], out["weight_bias_bytes"] = \
                map(int, f[1:6])
        elif key == "overhead" and len(f) >= 3:
            out["overhead_instructions"], out["overhead_ticks"] = int(f[1]), int(f[2])
        elif key == "layer" and len(f) >= 7:
            out["layers"].append({"index": int(f[1]), "name": f[2], "op": f[3], "macs": int(f[4]),
                                  "instructions_raw": int(f[5]), "ticks_raw": int(f[6])})
        elif key == "total" and len(f) >= 4:
            out["instructions"], out["ticks"], out["macs"] = int(f[1]), int(f[2]), int(f[3])
        elif key == "total_with_copies" and len(f) >= 3:
            out["instructions_with_copies"], out["ticks_with_copies"] = int(f[1]), int(f[2])
        elif key == "golden" and len(f) >= 3:
            out["golden"] = f[1]
        elif key == "exit" and len(f) >= 2:
            out["exit"] = int(f[1])
    return out


def read_sections(path):
    """readelf -SW: [(name, type, size, flags)]."""
    sections = []
    if not os.path.exists(path):
        return sections
    for line in open(path):
        if "]" not in line or not re.match(r"\s*\[\s*\d+\]", line):
            continue
        tokens = line.split("]", 1)[1].split()
        if len(tokens) < 9:
            continue  # the NULL section
        name, kind, size = tokens[0], tokens[1], int(tokens[4], 16)
        rest = tokens[6:]
        flags = rest[0] if len(rest) == 4 else ""
        sections.append((name, kind, size, flags))
    return sections


def flash_of(sections):
    """Bytes that must be stored in flash: allocated sections with contents (code, read-only data
    and the initial values of .data), i.e. everything loaded except NOBITS (.bss, .stack)."""
    parts = [(n, s) for (n, k, s, f) in sections if "A" in f and k != "NOBITS" and s > 0]
    return sum(s for _, s in parts), parts


TYPE_BYTES = {"int8_t": 1, "uint8_t": 1, "int16_t": 2, "uint16_t": 2, "int32_t": 4, "uint32_t": 4,
              "int64_t": 8, "uint64_t": 8}


def read_constants(header):
    """{name: bytes} of every constant array in the generated header's constants section."""
    text = open(header).read()
    begin, end = text.find("// ---- constants"), text.find("// ---- the network")
    if begin < 0 or end < begin:
        raise SystemExit(f"make_results: {header} has no constants section; has htvm-import's format changed?")
    found = {}
    for t, name, count in re.findall(r"inline constexpr std::(\w+) (\w+)\[(\d+)\]", text[begin:end]):
        if t not in TYPE_BYTES:
            raise SystemExit(f"make_results: unknown element type std::{t} of {name} in {header}")
        found[name] = TYPE_BYTES[t] * int(count)
    return found


def read_symbols(path):
    """nm -S -C: {symbol: size}."""
    sizes = {}
    if not os.path.exists(path):
        return sizes
    for line in open(path):
        f = line.split(None, 3)
        if len(f) == 4 and re.fullmatch(r"[0-9a-f]+", f[1]):
            sizes[f[3].strip()] = int(f[1], 16)
    return sizes


def read_env(path):
    env = {}
    if os.path.exists(path):
        for line in open(path):
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                env[k] = v
    return env


def compile_flags(build):
    """The flags of bench_deploy_kws's compile command, without defines, includes and file names."""
    path = os.path.join(build, "compile_commands.json")
    if not os.path.exists(path):
        return "?"
    for e in json.load(open(path)):
        if e["file"].endswith("deploy_minimal.cpp") and "bench_deploy_kws.dir" in e["command"]:
            args = shlex.split(e["command"])
            keep, skip = [os.path.basename(args[0])], False
            for a in args[1:]:
                if skip:
                    skip = False
                    continue
                if a in ("-o", "-c", "-isystem"):
                    skip = True
                    continue
                if a.startswith(("-D", "-I")):
                    continue
                keep.append(a)
            return " ".join(keep)
    return "?"


# ---- writing ---------------------------------------------------------------------------------

def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def read_csv(path):
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows if rows else None


def n(value):
    """Thousands separators for the markdown tables."""
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


def verdict(ok):
    if ok is None:
        return "not measured"
    return "**met**" if ok else "**not met**"


def md_table(header, rows, align=None):
    lines = ["| " + " | ".join(header) + " |"]
    align = align or ["---"] * len(header)
    lines.append("|" + "|".join(align) + "|")
    for r in rows:
        lines.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--raw", required=True)
    p.add_argument("--results", required=True)
    p.add_argument("--markdown", required=True)
    p.add_argument("--rv32-build", required=True)
    p.add_argument("--host-build", required=True)
    p.add_argument("--keep-compile", action="store_true", help="compile.csv was not re-measured: keep it")
    a = p.parse_args()
    raw, res = a.raw, a.results
    os.makedirs(res, exist_ok=True)
    env = read_env(os.path.join(raw, "env.txt"))
    problems = []  # said at the top of RESULTS.md

    rv32 = {m: read_program_output(os.path.join(raw, f"rv32_{m}.txt")) for m in MODELS}
    host = {m: read_program_output(os.path.join(raw, f"host_{m}.txt")) for m in MODELS}
    for m in MODELS:
        r = rv32[m]
        if r is None or "instructions" not in r:
            problems.append(f"{m}: no RV32 measurement (see {raw}/rv32_{m}.txt)")
            rv32[m] = None
        elif r.get("golden") != "pass" or r.get("exit") != 0:
            problems.append(f"{m}: the RV32 run did not match TFLite Micro's output (golden {r.get('golden')}, "
                            f"exit {r.get('exit')}): its numbers are not of a correct inference")
        h = host[m]
        if h is not None and (h.get("golden") != "pass" or h.get("exit") != 0):
            problems.append(f"{m}: the host build's run did not match TFLite Micro's output")

    # ---- a. instructions --------------------------------------------------------------------
    cpu_rows, layer_rows = [], []
    for m in MODELS:
        r = rv32[m]
        if r is None:
            continue
        over = r["overhead_instructions"]
        layer_sum = 0
        for l in r["layers"]:
            l["instructions"] = max(0, l["instructions_raw"] - over)
            l["ticks"] = max(0, l["ticks_raw"] - r["overhead_ticks"])
            layer_sum += l["instructions"]
        for l in r["layers"]:
            ipm = round(l["instructions"] / l["macs"], 3) if l["macs"] else ""
            share = round(100.0 * l["instructions"] / layer_sum, 2) if layer_sum else ""
            layer_rows.append([m, l["index"], l["name"], l["op"], l["macs"], l["instructions"], l["instructions_raw"],
                               l["ticks"], ipm, share])
        r["layer_sum"] = layer_sum
        r["ipm"] = r["instructions"] / r["macs"] if r["macs"] else None
        r["goal_met"] = r["instructions"] < INSTRUCTION_GOAL[m]
        cpu_rows.append([m, r["instructions"], r["macs"], round(r["ipm"], 3), r["instructions_with_copies"], layer_sum,
                         r["ticks"], CMSIS_NN_INSTRUCTIONS[m], TVM_DIANA_CYCLES[m] or "out of memory",
                         INSTRUCTION_GOAL[m], "met" if r["goal_met"] else "not met", r["golden"]])
    write_csv(os.path.join(res, "rv32_cpu.csv"),
              ["model", "instructions", "macs", "instructions_per_mac", "instructions_with_copies",
               "layer_sum_instructions", "mcycle", "cmsis_nn_instructions", "tvm_diana_cycles",
               "goal_instructions_below", "goal", "golden"], cpu_rows)
    write_csv(os.path.join(res, "rv32_layers.csv"),
              ["model", "layer", "name", "op", "macs", "instructions", "instructions_raw", "mcycle",
               "instructions_per_mac", "share_percent"], layer_rows)

    # ---- b. memory ---------------------------------------------------------------------------
    mem_rows = []
    for m in MODELS:
        r = rv32[m] or host[m]
        if r is None or "arena" not in r:
            continue
        r["mem_met"] = r["arena"] <= r["lower_bound"]
        mem_rows.append([m, r["arena"], r["lower_bound"], TFLM_ARENA_BYTES[m], r["input_bytes"], r["output_bytes"],
                         r["arena"] - r["lower_bound"], round(r["arena"] / TFLM_ARENA_BYTES[m], 3),
                         "met" if r["mem_met"] else "not met"])
    write_csv(os.path.join(res, "memory.csv"),
              ["model", "arena_bytes", "lower_bound_bytes", "tflm_arena_bytes", "input_bytes", "output_bytes",
               "arena_minus_lower_bound", "arena_over_tflm", "goal"], mem_rows)

    # ---- c. flash ----------------------------------------------------------------------------
    flash_rows, flash_info = [], {}
    empty_flash, _ = flash_of(read_sections(os.path.join(raw, "sections_empty.txt")))
    for m in MODELS:
        header = os.path.join(raw, f"{m}_model.hpp")
        sections = read_sections(os.path.join(raw, f"sections_deploy_{m}.txt"))
        if not sections or not os.path.exists(header):
            problems.append(f"{m}: no flash measurement")
            continue
        flash, parts = flash_of(sections)
        profiling_flash, _ = flash_of(read_sections(os.path.join(raw, f"sections_mlperf_{m}.txt")))
        constants = read_constants(header)
        constant_bytes = sum(constants.values())
        symbols = read_symbols(os.path.join(raw, f"symbols_deploy_{m}.txt"))
        in_elf = sum(symbols.get(f"{m}::{name}", 0) for name in constants)
        missing = [name for name in constants if f"{m}::{name}" not in symbols]
        descriptor = symbols.get(f"{m}::net", 0)
        over = flash - constant_bytes
        ok = over <= FLASH_GOAL_OVER_CONSTANTS
        code = flash - in_elf - descriptor - empty_flash
        flash_info[m] = dict(flash=flash, constants=constant_bytes, over=over, ok=ok, in_elf=in_elf,
                             descriptor=descriptor, code=code, profiling=profiling_flash, parts=parts,
                             missing=missing, arrays=len(constants))
        flash_rows.append([m, flash, constant_bytes, over, "met" if ok else "not met", in_elf, descriptor, empty_flash,
                           code, profiling_flash, " ".join(f"{n_}={s}" for n_, s in parts)])
    write_csv(os.path.join(res, "flash.csv"),
              ["model", "flash_bytes", "constant_bytes", "flash_minus_constants", "goal", "constant_bytes_in_elf",
               "network_descriptor_bytes", "startup_bytes", "other_bytes", "profiling_firmware_flash_bytes",
               "sections"], flash_rows)

    # ---- d. compile --------------------------------------------------------------------------
    compile_rows = None
    compile_csv = os.path.join(res, "compile.csv")
    raw_compile = read_csv(os.path.join(raw, "compile_raw.csv"))
    headers_only = {}
    if raw_compile is not None:
        head, body = raw_compile[0], raw_compile[1:]
        agg = {}
        for row in body:
            d = dict(zip(head, row))
            key = (d["label"], d["compiler"], d["model"], d["tu"])
            cpu = float(d["user_s"]) + float(d["sys_s"])
            g = agg.setdefault(key, {"cpu": [], "wall": [], "rss": []})
            g["cpu"].append(cpu)
            g["wall"].append(float(d["wall_s"]))
            g["rss"].append(int(d["max_rss_kb"]))
        compile_rows = []
        for label in ("rv32", "host"):
            for (lab, compiler, model, tu), g in agg.items():
                if lab == label and tu == "headers_only":
                    headers_only[label] = (compiler, min(g["cpu"]), max(g["rss"]) / 1024)
            for m in MODELS:
                fw = [(k, g) for k, g in agg.items() if k[0] == label and k[2] == m and k[3] == "firmware"]
                wo = [(k, g) for k, g in agg.items() if k[0] == label and k[2] == m and k[3] == "weights_only"]
                if not fw or not wo:
                    continue
                (_, compiler, _, _), f = fw[0]
                _, w = wo[0]
                plain = [g for k, g in agg.items() if k[0] == label and k[2] == m and k[3] == "plain_kernels"]
                sec, wsec = min(f["cpu"]), min(w["cpu"])
                psec = min(plain[0]["cpu"]) if plain else None
                mb, wmb = max(f["rss"]) / 1024, max(w["rss"]) / 1024
                ratio = sec / wsec if wsec > 0 else float("inf")
                failed = [part for part, bad in (("ratio", ratio > COMPILE_GOAL_RATIO),
                                                 ("seconds", sec >= COMPILE_GOAL_SECONDS),
                                                 ("memory", mb >= COMPILE_GOAL_MB)) if bad]
                compile_rows.append([m, compiler, round(sec, 2), round(mb, 1), round(wsec, 2), round(wmb, 1),
                                     round(ratio, 1), round(min(f["wall"]), 2), round(min(w["wall"]), 2), len(f["cpu"]),
                                     "not met" if failed else "met", " ".join(failed),
                                     round(psec, 2) if psec is not None else "",
                                     round(psec / wsec, 1) if psec is not None and wsec > 0 else ""])
        write_csv(compile_csv,
                  ["model", "compiler", "seconds", "peak_mb", "weights_only_seconds", "weights_only_peak_mb",
                   "ratio", "wall_seconds", "weights_only_wall_seconds", "runs", "goal", "failed_part",
                   "plain_kernels_seconds", "plain_kernels_ratio"], compile_rows)
    elif a.keep_compile and read_csv(compile_csv):
        rows = read_csv(compile_csv)
        compile_rows = rows[1:]
        problems.append("compile.csv was not re-measured in this run (--skip-compile): its numbers are older")

    # ---- e, f: other engineers' CSVs ----------------------------------------------------------
    diana = read_csv(os.path.join(res, "diana_table1.csv"))
    tiler = read_csv(os.path.join(res, "tiler_quality.csv"))
    hooks = {}
    if os.path.exists(os.path.join(raw, "hooks.txt")):
        for line in open(os.path.join(raw, "hooks.txt")):
            f = line.strip().split(",")
            if len(f) == 3:
                hooks[f[0]] = (f[1], f[2])

    # ---- RESULTS.md --------------------------------------------------------------------------
    md = []
    w = md.append
    w("# Results\n")
    w(f"Generated by `bash bench/run.sh` ({env.get('started', '?')} to {env.get('finished', '?')}, UTC) from "
      f"commit `{env.get('commit', '?')}` with {env.get('uncommitted_files', '?')} uncommitted files in the "
      "working tree. Do not edit: re-run the command. How every number is taken: [README.md](README.md). "
      "The CSV files behind the tables are in [results/](results/).\n")
    if problems:
        w("**Problems in this run:**\n")
        for pr in problems:
            w(f"- {pr}")
        w("")

    w("## Setup\n")
    w(md_table(["", ""], [
        ["machine", f"{env.get('cpu', '?')}, {env.get('cores', '?')} cores, {env.get('memory', '?')}; shared with "
                    f"other jobs (load average {env.get('load_before', '?')} before, {env.get('load_after', '?')} after)"],
        ["OS", env.get("os", "?")],
        ["RV32 compiler", f"{env.get('rv32_gxx', '?')}, picolibc {env.get('picolibc', '?')}"],
        ["RV32 flags", f"`{compile_flags(a.rv32_build)}`"],
        ["host compiler", env.get("host_gxx", "?")],
        ["host flags", f"`{compile_flags(a.host_build)}`"],
        ["simulator", f"{env.get('qemu', '?')}: `-machine virt -bios none -icount shift=0` (tools/qemu-run.sh)"],
        ["build", env.get("cmake", "?")],
    ]))
    w("")

    # Summary.
    w("## Goals at a glance\n")
    rows = []
    for m in MODELS:
        r, fl = rv32[m], flash_info.get(m)
        cr = [c for c in (compile_rows or []) if c[0] == m and c[1].startswith("riscv")]
        rows.append([m,
                     verdict(r["goal_met"]) if r else "not measured",
                     verdict(r["mem_met"]) if r and "mem_met" in r else "not measured",
                     verdict(fl["ok"]) if fl else "not measured",
                     verdict(cr[0][10] == "met") if cr else "not measured"])
    w(md_table(["model", "a. instructions", "b. arena ≤ lower bound", "c. flash ≤ constants + 12 kB",
                "d. compile (RV32 g++)"], rows))
    w("")

    # a.
    w("## a. CPU-only instructions per inference, RV32IMC\n")
    w("Retired instructions (minstret) of one whole `run()` on bare metal under QEMU, input already in the "
      "arena, nothing observed; the seed-1 MLPerf input, output checked bit-exact against TFLite Micro. "
      "The baselines are as given in issue 7: CMSIS-NN's portable C kernels in *instructions*, TVM on "
      "DIANA's RISC-V core in *cycles* (HTVM paper, 260 MHz). Our instruction count is not a cycle count: "
      "an in-order RV32 core retires at most one instruction per cycle, so on real hardware our cycles "
      "would be at least these numbers.\n")
    rows = []
    for m in MODELS:
        r = rv32[m]
        if r is None:
            rows.append([m] + ["–"] * 8)
            continue
        tvm = TVM_DIANA_CYCLES[m]
        rows.append([m, n(r["macs"]), n(r["instructions"]), f"{r['ipm']:.2f}",
                     f"{n(CMSIS_NN_INSTRUCTIONS[m])} ({CMSIS_NN_INSTRUCTIONS[m] / r['instructions']:.2f}x ours)",
                     f"{n(tvm)} ({tvm / r['instructions']:.2f}x ours)" if tvm else "out of memory",
                     f"< {n(INSTRUCTION_GOAL[m])}", verdict(r["goal_met"]), r["golden"]])
    w(md_table(["model", "MACs", "instructions", "instr./MAC", "CMSIS-NN portable C (instr.)",
                "TVM on DIANA (cycles)", "goal", "", "bit-exact"], rows,
               ["---", "--:", "--:", "--:", "--:", "--:", "--:", "---", "---"]))
    w("")
    w("With the copies of the caller's input and output buffers (`run(in, out)`): " + ", ".join(
        f"{m} {n(rv32[m]['instructions_with_copies'])}" for m in MODELS if rv32[m]) + " instructions. Sum of the "
      "per-layer counts below: " + ", ".join(f"{m} {n(rv32[m]['layer_sum'])}" for m in MODELS if rv32[m]) + ".\n")
    for m in MODELS:
        r = rv32[m]
        if r is None:
            continue
        w(f"<details><summary>{m}: {TITLES[m]}, per layer</summary>\n")
        rows = []
        for l in r["layers"]:
            ipm = f"{l['instructions'] / l['macs']:.2f}" if l["macs"] else ""
            share = f"{100.0 * l['instructions'] / r['layer_sum']:.1f}%" if r["layer_sum"] else ""
            rows.append([l["index"], l["name"], l["op"], n(l["macs"]), n(l["instructions"]), ipm, share])
        rows.append(["", "**total**", "", n(r["macs"]), n(r["layer_sum"]), f"{r['layer_sum'] / r['macs']:.2f}", ""])
        w(md_table(["#", "layer", "op", "MACs", "instructions", "instr./MAC", "share"], rows,
                   ["--:", "---", "---", "--:", "--:", "--:", "--:"]))
        w(f"\nEach layer's count is minstret after minus before the layer, less the {r['overhead_instructions']} "
          "instructions that an empty measurement reads.\n\n</details>\n")

    # b.
    w("## b. Peak activation RAM\n")
    w("`model::arena_bytes`: the one static arena that holds every activation tensor, the network's input "
      "and output included. Lower bound: the largest total size of the tensors alive at one step when no "
      "tensor shares memory with another (`model::lower_bound_bytes`); in-place layers can go below it. "
      "TFLite Micro's arena (issue 7's figures) also holds the interpreter's own data (tensor and node "
      "structures, scratch buffers), not only activations.\n")
    rows = []
    for m in MODELS:
        r = rv32[m] or host[m]
        if r is None or "arena" not in r:
            continue
        rows.append([m, n(r["arena"]), n(r["lower_bound"]), f"{r['arena'] - r['lower_bound']:+,}",
                     n(TFLM_ARENA_BYTES[m]), f"{100.0 * r['arena'] / TFLM_ARENA_BYTES[m]:.0f}%",
                     verdict(r["mem_met"])])
    w(md_table(["model", "arena (B)", "lower bound (B)", "arena − bound", "TFLite Micro arena (B)",
                "ours / TFLM", "goal: arena ≤ bound"], rows, ["---", "--:", "--:", "--:", "--:", "--:", "---"]))
    w("")

    # c.
    w("## c. Flash, RV32\n")
    w("Flash of `bench_deploy_<model>.elf`, the smallest complete program (buffers and one `run()`, no "
      "printing): every allocated section with contents (code, read-only data, initial values of .data). "
      "Constant bytes: every constant array of the generated model header (int8 weights, int32 biases, "
      "per-channel multipliers and shifts), the sum of their sizes. The breakdown attributes the ELF's "
      "symbols: the model's constant arrays as linked, the `net` descriptor object, the start-up code and "
      "C library of an empty `main` (picolibc's minimal start-up, no semihosting, as a deployed "
      "application links; see README.md), and the rest (kernels, `run()`, glue).\n")
    rows = []
    for m in MODELS:
        fl = flash_info.get(m)
        if fl is None:
            continue
        rows.append([m, n(fl["flash"]), n(fl["constants"]), f"{fl['over']:+,}", verdict(fl["ok"]), n(fl["in_elf"]),
                     n(fl["descriptor"]), n(empty_flash), n(fl["code"]), n(fl["profiling"])])
    w(md_table(["model", "flash (B)", "constants (B)", "flash − constants", "goal: ≤ +12,288", "constants linked",
                "`net` descriptor", "start-up + C library", "kernels + run + rest", "profiling firmware"], rows,
               ["---", "--:", "--:", "--:", "---", "--:", "--:", "--:", "--:", "--:"]))
    for m in MODELS:
        fl = flash_info.get(m)
        if fl and fl["missing"]:
            w(f"\n{m}: {len(fl['missing'])} of {fl['arrays']} constant arrays are not separate symbols in the ELF "
              f"(folded into code or unused): {', '.join(fl['missing'][:8])}{' ...' if len(fl['missing']) > 8 else ''}")
    w("")

    # d.
    w("## d. Compile time and peak compiler memory\n")
    w("Each model's firmware translation unit (`bench/mlperf/deploy_minimal.cpp` with the generated "
      "header) against a translation unit that holds only the same constant arrays (generated by "
      "`bench/mlperf/weights_only.cmake`), compiled with the identical command line (`-O2 -std=c++20`), "
      "one compilation at a time. Seconds: CPU time of the compiler (user + system), fastest of the runs, "
      "because the machine is shared and wall-clock time depends on the other jobs (wall clock is in "
      "compile.csv). Peak: the compiler's largest resident set (GNU time's %M), in MiB.\n")
    if compile_rows:
        rows = []
        for c in compile_rows:
            # (compile.csv kept from an older run may lack the plain-kernel columns.)
            plain = c[12] if len(c) > 13 and c[12] != "" else None
            rows.append([c[0], f"`{c[1]}`", c[2], c[3], c[4], c[5], f"{float(c[6]):.1f}x", verdict(c[10] == "met"),
                         plain if plain is not None else "–",
                         f"{float(c[13]):.1f}x" if plain is not None else "–"])
        w(md_table(["model", "compiler", "firmware TU (s)", "peak (MiB)", "weights only (s)",
                    "weights only peak (MiB)", "ratio", "goal: ≤ 3x, < 30 s, < 2 GB", "plain kernels (s)",
                    "plain kernels ratio"], rows,
                   ["---", "---", "--:", "--:", "--:", "--:", "--:", "---", "--:", "--:"]))
        w("\n\"Plain kernels\" is the same application compiled with the same command, but running on the "
          "frozen plain kernels of `bench/kernels_rv32/reference_kernels.hpp` instead of htvm's "
          "(`bench/mlperf/deploy_plain_kernels.cpp`): loops over run-time geometry, one instance per "
          "operator. It is not a deployment option, only a reference point. Those kernels need about 2 to 4 "
          "times the instructions (`bench/kernels_rv32/README.md`), so they miss goal a. Where even they are "
          "above 3x the weights-only time, meeting the goal would take kernels that compile faster than "
          "these plain loops, in the same translation unit: a model with few weights leaves too small a "
          "baseline for any kernel code.")
        if headers_only:
            w("\nFor scale: a translation unit with only `#include <htvm/htvm.hpp>` takes " + "; ".join(
                f"{sec:.2f} s and {mb:.0f} MiB with `{comp}`" for comp, sec, mb in headers_only.values()) + ".")
    else:
        w("Not measured in this run.")
    w("")

    # e.
    w("## e. DIANA, modeled (Table I, Fig. 4 of the HTVM paper)\n")
    w("These figures come from htvm's DIANA simulators and cycle model (bench/diana), **not from hardware**.\n")
    hook = hooks.get("diana")
    if diana:
        w(md_table(diana[0], diana[1:]))
        notes = os.path.join(res, "diana_notes.md")  # bench/diana's own explanation and Fig. 4
        if os.path.exists(notes):
            w("\n" + open(notes).read())
    elif hook is None:
        w("Not produced: bench/diana does not exist yet (bench/run.sh calls `bench/diana/run.sh` when it does).")
    else:
        w(f"Not produced: bench/diana ran (`{hook[0]}`, exit status {hook[1]}) but wrote no diana_table1.csv.")
    w("")

    # f.
    w("## f. Tiler quality\n")
    tiler_hooks = {k: v for k, v in hooks.items() if k.startswith("tiler_")}
    if tiler:
        w(md_table(tiler[0], tiler[1:]))
        notes = os.path.join(res, "tiler_quality_notes.md")  # bench/tiler_quality's explanation
        if os.path.exists(notes):
            w("\n" + open(notes).read())
    else:
        ran = ", ".join(f"{k} (`{v[0]}`, exit {v[1]})" for k, v in tiler_hooks.items()) or "none"
        w(f"Not produced in this run: no bench/results/tiler_quality.csv. bench/tiler_* parts run: {ran}.")
    # g.
    w("\n## g. Compile time against network length\n")
    scale = read_csv(os.path.join(res, "scale.csv"))
    if scale:
        w("Generated chains and residual networks (bench/scale), `-O2 -c`, CPU seconds and peak MiB of the "
          "compiler. `digital`: DIANA's digital policy.\n")
        w(md_table(scale[0], scale[1:]))
    else:
        w("Not produced in this run: no bench/results/scale.csv (bench/scale/run.sh).")
    others = sorted(f for f in os.listdir(res) if f.endswith(".csv") and f not in {
        "rv32_cpu.csv", "rv32_layers.csv", "memory.csv", "flash.csv", "compile.csv", "diana_table1.csv",
        "tiler_quality.csv", "scale.csv"})
    if others:
        w("\nOther tables in results/, written by other parts of bench/: " + ", ".join(
            f"[{f}](results/{f})" + (" (empty)" if os.path.getsize(os.path.join(res, f)) == 0 else "") for f in others)
          + ".")
    w("")

    with open(a.markdown, "w") as f:
        f.write("\n".join(md))
    for pr in problems:
        print(f"make_results: {pr}", file=sys.stderr)
    print(f"make_results: wrote {a.markdown} and {res}/{{rv32_cpu,rv32_layers,memory,flash,compile}}.csv")


if __name__ == "__main__":
    main()
