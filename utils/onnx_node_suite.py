#!/usr/bin/python3
# Part of Yizhuang. Runs the ONNX backend node tests (the standard ONNX
# conformance suite, generated from the installed python3-onnx) through
# yzc + yz-run and prints a per-op table of outcomes:
#
#   pass      outputs match (rtol 1e-3, atol 1e-7 for floats, exact for
#             integers: the ONNX backend's own tolerances)
#   mismatch  compiled and ran, but an output differs (a silent wrong result)
#   refused   yzc or yz-run stopped with a diagnostic (the reason is shown)
#   crash     a tool died on a signal or an LLVM fatal error
#   hang      a tool ran past the time limit
#             (a case yzc refuses runs again with the op's parameter
#             inputs folded into initializers, see PARAMETER_INPUTS; such
#             a pass says "with constant parameters")
#   known     a mismatch listed with its reason in --known (the reference
#             is what differs, e.g. it truncates where the spec rounds)
#
#   utils/onnx_node_suite.py --build build [--target host|riscv64]
#       [--jobs N] [--filter REGEX] [--check LIST] [--update LIST]
#       [--known LIST] [--table FILE] [--outcomes FILE]
#   utils/onnx_node_suite.py --generate DIR   (only write the cases)
#
# --opset N (18 to 23) restamps each case's model to opset N first, as a
# current exporter would write it (restamp(): reductions' axes become an
# input, Split gets num_outputs, GridSample's modes their opset-20 names):
# the suite's ops in their newest forms,
# read without libonnx. Cases below opset 13, or in other domains, are
# "skipped" (their ops' older forms need the version converter).
#
# With --check, exits 1 when a case in LIST stops passing, or when any case
# crashes, hangs or mismatches. --update rewrites LIST with the passing cases.
import argparse
import collections
import concurrent.futures
import os
import re
import subprocess
import sys
import time

import numpy as np


def generate(out_dir):
    """Writes the node test cases of the installed onnx into out_dir/node."""
    # onnx 1.12's case generators use aliases numpy >= 1.24 removed.
    import warnings
    warnings.simplefilter("ignore")
    for name, alias in [("float", float), ("int", int), ("bool", bool),
                        ("object", object)]:
        if name not in np.__dict__:
            setattr(np, name, alias)
    import onnx.backend.test.case.node as node_test
    from onnx import numpy_helper
    # Many generators draw their data from numpy's global generator: seeded,
    # every run tests the same data (an unseeded borderline case flickers).
    np.random.seed(0)
    cases = node_test.collect_testcases(None)
    os.makedirs(out_dir, exist_ok=True)
    names = []
    for case in cases:
        # onnx 1.12 defines two cases twice (test_reduce_sum_negative_axes_
        # keepdims_random, test_resize_tf_crop_and_resize): the first one
        # stands, else both would run at once in one directory.
        if case.name in names:
            continue
        case_dir = os.path.join(out_dir, case.name)
        os.makedirs(case_dir, exist_ok=True)
        with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
            f.write(case.model.SerializeToString())
        inputs, outputs = case.data_sets[0]
        graph = case.model.graph
        ok = True
        for role, values, infos in (("input", inputs, graph.input),
                                    ("output", outputs, graph.output)):
            for j, value in enumerate(values):
                if not infos[j].type.HasField("tensor_type"):
                    ok = False
                    continue
                np.save(os.path.join(case_dir, f"{role}_{j}.npy"),
                        np.array(value, order="C"))
        if not ok:
            open(os.path.join(case_dir, "NOT_TENSORS"), "w").close()
        names.append(case.name)
    return sorted(names)


def case_op(case_dir, name, ops_by_name):
    """The op a case tests: the node's type, or the base case's for an
    expanded function."""
    import onnx
    model = onnx.load(os.path.join(case_dir, "model.onnx"))
    types = [n.op_type for n in model.graph.node]
    if name.endswith("_expanded") and name[:-9] in ops_by_name:
        return ops_by_name[name[:-9]]
    if len(set(types)) == 1:
        return types[0]
    plain = name[5:].replace("_", "").lower()
    for t in types:
        if plain.startswith(t.lower()):
            return t
    return types[-1] if types else "?"


# Inputs the ONNX spec defines as parameters of an op (shapes, axes, scales,
# pads, counts): exported models carry them as initializers or Constant
# nodes, but the node tests feed them as graph inputs. A case yzc refuses
# that way runs again with them folded into initializers, and its outcome
# says so ("with constant parameters"); onnx-mlir's CONSTANT_INPUT does the
# same. Index lists are positions in the node's inputs.
PARAMETER_INPUTS = {
    "Resize": [1, 2, 3], "Upsample": [1], "Pad": [1, 2, 3],
    "Slice": [1, 2, 3, 4], "Split": [1], "Tile": [1], "Expand": [1],
    "Reshape": [1], "Squeeze": [1], "Unsqueeze": [1], "CumSum": [1],
    "ReduceSum": [1], "ReduceMean": [1], "ReduceMax": [1], "ReduceMin": [1],
    "ReduceProd": [1], "ReduceL1": [1], "ReduceL2": [1], "ReduceLogSum": [1],
    "ReduceLogSumExp": [1], "ReduceSumSquare": [1], "TopK": [1],
    "OneHot": [1], "Range": [0, 1, 2], "ConstantOfShape": [0],
    "Trilu": [1], "Dropout": [1, 2], "QuantizeLinear": [1, 2],
    "DequantizeLinear": [1, 2], "NonMaxSuppression": [2, 3, 4],
    "HannWindow": [0], "HammingWindow": [0], "BlackmanWindow": [0],
    "CenterCropPad": [1], "DFT": [1], "STFT": [1, 2, 3],
    "MelWeightMatrix": [0, 1, 2, 3, 4], "MaxUnpool": [2],
}


def fold_parameters(case_dir, work):
    """Writes work/model.onnx with the parameter inputs of case_dir's model
    as initializers. Returns (path, input files still fed, folded names),
    or None when the model has no parameter inputs."""
    import onnx
    from onnx import numpy_helper
    model = onnx.load(os.path.join(case_dir, "model.onnx"))
    graph = model.graph
    position = {i.name: j for j, i in enumerate(graph.input)}
    folded = set()
    for node in graph.node:
        for k in PARAMETER_INPUTS.get(node.op_type, []):
            if k < len(node.input) and node.input[k] in position:
                folded.add(node.input[k])
    if not folded:
        return None
    keep = []
    for j, info in enumerate(list(graph.input)):
        data = os.path.join(case_dir, "input_%d.npy" % j)
        if info.name in folded:
            graph.initializer.append(
                numpy_helper.from_array(np.load(data), info.name))
        else:
            keep.append(data)
    kept = [i for i in graph.input if i.name not in folded]
    del graph.input[:]
    graph.input.extend(kept)
    path = os.path.join(work, "model-constant-parameters.onnx")
    onnx.save(model, path)
    return path, keep, sorted(folded)


CRASH_MARKS = ("LLVM ERROR", "Stack dump", "PLEASE submit a bug report",
               "Assertion", "Segmentation fault", "terminate called")


def first_error(text):
    for line in text.splitlines():
        if "error:" in line:
            msg = line.split("error:", 1)[1].strip()
            return re.sub(r"\S*/(model|case)\.o", "model.o", msg)
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1] if lines else "(no message)"


# Reductions whose axes became an input in opset 18 (ReduceSum's did in 13).
AXES_INPUT_18 = {"ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
                 "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"}


def restamp(path, opset, work):
    """path's model rewritten to `opset` (18 to 23) in work/, or None when
    it cannot be (an opset below 13, another domain)."""
    import onnx
    from onnx import helper, numpy_helper
    model = onnx.load(path)
    imports = {i.domain: i.version for i in model.opset_import}
    if set(imports) - {"", "ai.onnx"} or imports.get("", imports.get("ai.onnx", 0)) < 13:
        return None
    graph = model.graph
    for node in graph.node:
        if node.domain not in ("", "ai.onnx"):
            return None
        if node.op_type in AXES_INPUT_18:
            axes = [a for a in node.attribute if a.name == "axes"]
            if axes:
                name = node.output[0] + "_restamped_axes"
                graph.initializer.append(numpy_helper.from_array(
                    np.array(axes[0].ints, np.int64), name))
                node.attribute.remove(axes[0])
                node.input.append(name)
        if node.op_type == "GridSample":  # opset 20 renamed the modes
            for a in node.attribute:
                if a.name == "mode" and a.s in (b"bilinear", b"bicubic"):
                    a.s = {b"bilinear": b"linear", b"bicubic": b"cubic"}[a.s]
        if node.op_type == "Split" and (len(node.input) < 2 or not node.input[1]):
            node.attribute.append(helper.make_attribute("num_outputs",
                                                        len(node.output)))
    del model.opset_import[:]
    model.opset_import.append(helper.make_opsetid("", opset))
    out = os.path.join(work, "model-opset%d.onnx" % opset)
    onnx.save(model, out)
    return out


def run_case(args, case_dir, name):
    """Returns (outcome, detail)."""
    if os.path.exists(os.path.join(case_dir, "NOT_TENSORS")):
        return "refused", "inputs or outputs are not tensors (sequences, maps, optionals)"
    work = os.path.join(args.work, args.target, name)
    os.makedirs(work, exist_ok=True)
    ins = sorted((f for f in os.listdir(case_dir) if f.startswith("input_")),
                 key=lambda f: int(f[6:-4]))
    ins = [os.path.join(case_dir, f) for f in ins]
    outcome, detail = run_model(args, os.path.join(case_dir, "model.onnx"),
                                ins, case_dir, work, name)
    if outcome == "refused" and detail.startswith("yzc:"):
        folded = fold_parameters(case_dir, work)
        if folded:
            model, ins, names = folded
            again = run_model(args, model, ins, case_dir, work, name)
            if again[0] != "refused" or again[1] != detail:
                note = "with constant parameters (%s)" % ", ".join(names)
                return again[0], (again[1] + " " if again[1] else "") + note
    return outcome, detail


def run_model(args, model, ins, case_dir, work, name):
    if args.opset:
        model = restamp(model, args.opset, work)
        if model is None:
            return "skipped", "not restamped to opset %d" % args.opset
    obj = os.path.join(work, name + ".o")
    yzc = [os.path.join(args.build, "bin", "yzc"), model,
           "--target=" + args.target, "-o", obj]
    try:
        p = subprocess.run(yzc, capture_output=True, text=True,
                           timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return "hang", "yzc ran over %d s" % args.timeout
    err = p.stderr
    if p.returncode < 0 or any(m in err for m in CRASH_MARKS) or \
            p.returncode not in (0, 1):
        return "crash", "yzc: " + (first_error(err) if err else
                                   "exit %d" % p.returncode)
    if p.returncode != 0:
        return "refused", "yzc: " + first_error(err)
    outs = sorted(f for f in os.listdir(case_dir) if f.startswith("output_"))
    outs.sort(key=lambda f: int(f[7:-4]))
    run = [os.path.join(args.build, "bin", "yz-run"), obj, "--quiet",
           "--rtol", "1e-3", "--atol", "1e-7"]
    for f in ins:
        run += ["--input", f]
    for f in outs:
        run += ["--compare", os.path.join(case_dir, f)]
    try:
        p = subprocess.run(run, capture_output=True, text=True,
                           timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return "hang", "yz-run ran over %d s" % args.timeout
    text = p.stdout + p.stderr
    if p.returncode < 0 or any(m in text for m in CRASH_MARKS):
        return "crash", "yz-run: " + first_error(text)
    if p.returncode == 3 or "MISMATCH" in p.stdout:
        bad = [l for l in p.stdout.splitlines() if "MISMATCH" in l]
        return "mismatch", bad[0] if bad else "mismatch"
    if p.returncode != 0:
        return "refused", "yz-run: " + first_error(text)
    return "pass", ""


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--build", default=os.path.join(root, "build"))
    ap.add_argument("--target", default="host", choices=["host", "riscv64"])
    ap.add_argument("--work", help="scratch directory (default: BUILD/onnx-node)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--filter", help="only cases whose name matches")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--check", help="expected-pass list to check against")
    ap.add_argument("--update", help="write the passing cases here")
    ap.add_argument("--known", help="'case reason' lines: mismatches whose "
                    "reference is what is wrong")
    ap.add_argument("--table", help="also write the per-op table (markdown)")
    ap.add_argument("--outcomes", help="also write 'case outcome detail' lines")
    ap.add_argument("--quiet", action="store_true", help="only the summary")
    ap.add_argument("--opset", type=int, choices=range(18, 24),
                    help="restamp each model to this opset first")
    ap.add_argument("--generate", metavar="DIR",
                    help="only write the cases (DIR/<case>/model.onnx, inputs "
                         "and outputs as .npy) and exit")
    args = ap.parse_args()
    if args.generate:
        names = generate(args.generate)
        print("%d cases in %s" % (len(names), args.generate))
        return 0
    args.build = os.path.abspath(args.build)
    args.work = os.path.abspath(args.work or os.path.join(args.build, "onnx-node"))
    cases_dir = os.path.join(args.work, "cases")

    start = time.time()
    names = generate(cases_dir)
    if args.filter:
        names = [n for n in names if re.search(args.filter, n)]
    ops = {}
    for n in names:  # base cases first, so expanded ones find their op
        if not n.endswith("_expanded"):
            ops[n] = case_op(os.path.join(cases_dir, n), n, ops)
    for n in names:
        if n.endswith("_expanded"):
            ops[n] = case_op(os.path.join(cases_dir, n), n, ops)

    results = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(run_case, args, os.path.join(cases_dir, n), n): n
                   for n in names}
        for fut in concurrent.futures.as_completed(futures):
            results[futures[fut]] = fut.result()

    known = {}
    if args.known:
        with open(args.known) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    name, _, why = line.strip().partition(" ")
                    known[name] = why
    for n, (outcome, detail) in list(results.items()):
        if outcome == "mismatch" and n in known:
            results[n] = ("known", known[n])
    kinds = ["pass", "mismatch", "refused", "crash", "hang", "known"]
    if args.opset:
        kinds.append("skipped")
    # "of which" columns: passes that needed constant parameters.
    folded = lambda o, d: o == "pass" and "constant parameters" in d
    by_op = collections.defaultdict(collections.Counter)
    for n, (outcome, detail) in results.items():
        by_op[ops[n]][outcome] += 1
        by_op[ops[n]]["const"] += folded(outcome, detail)
    columns = kinds[:1] + ["const"] + kinds[1:]
    rows = ["| op | cases | pass | of which with constant parameters | " +
            " | ".join(kinds[1:]) + " |",
            "|---|---:|" + "---:|" * len(columns)]
    for op in sorted(by_op):
        c = by_op[op]
        rows.append("| %s | %d | " % (op, sum(c[k] for k in kinds)) +
                    " | ".join(str(c[k]) if c[k] else "" for k in columns) +
                    " |")
    total = collections.Counter(o for o, _ in results.values())
    total["const"] = sum(folded(o, d) for o, d in results.values())
    rows.append("| **all** | %d | " % len(results) +
                " | ".join(str(total[k]) for k in columns) + " |")
    if not args.quiet:
        print("\n".join(rows))
        print()
        for kind in ["mismatch", "crash", "hang", "known", "refused"]:
            listed = sorted(n for n, (o, _) in results.items() if o == kind)
            if listed:
                print("%s:" % kind)
                for n in listed:
                    print("  %s: %s" % (n, results[n][1]))
    if args.table:
        with open(args.table, "w") as f:
            f.write("\n".join(rows) + "\n")
    if args.outcomes:
        with open(args.outcomes, "w") as f:
            for n in sorted(results):
                f.write("%s %s %s\n" % (n, results[n][0], results[n][1]))
    passed = sorted(n for n, (o, _) in results.items() if o == "pass")
    if args.update:
        with open(args.update, "w") as f:
            f.write("# ONNX node tests that pass, on the host and on riscv64\n"
                    "# (utils/onnx_node_suite.py --update)\n")
            f.write("".join(n + "\n" for n in passed))

    status = 0
    summary = "%d cases: %s (%.0f s, %d jobs, %s%s)" % (
        len(results), ", ".join("%d %s" % (total[k], k) for k in kinds),
        time.time() - start, args.jobs, args.target,
        ", opset %d" % args.opset if args.opset else "")
    print(summary)
    for kind in ["mismatch", "crash", "hang"]:
        if total[kind]:
            print("FAIL: %d case(s) %s" % (total[kind], kind))
            for n in sorted(n for n, (o, _) in results.items() if o == kind):
                print("FAIL: %s: %s %s" % (n, *results[n]), file=sys.stderr)
            status = 1
    if args.check:
        with open(args.check) as f:
            expected = [l.strip() for l in f
                        if l.strip() and not l.startswith("#")]
        lost = [n for n in expected
                if n in results and results[n][0] not in ("pass", "skipped")]
        for n in lost:  # on stderr too: a test's FileCheck takes stdout
            for out in (sys.stdout, sys.stderr):
                print("FAIL: %s no longer passes: %s %s" % (n, *results[n]),
                      file=out)
        if lost:
            status = 1
        new = sorted(set(passed) - set(expected))
        if new:
            print("note: %d case(s) pass that %s does not list: %s" % (
                len(new), os.path.basename(args.check), " ".join(new)))
    return status


if __name__ == "__main__":
    sys.exit(main())
