# Kiln: every set-up step lives here, so `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
SWIFT ?= swift
JOBS ?= $(shell nproc)
SPEC ?= ../shared/testsuite/wasm-2.0
KILN_DEBUG := .build/debug/kiln
KILN_RELEASE := .build/release/kiln

.PHONY: build build-debug test test-swift test-spec run fixtures clean spec-time

build:
	$(SWIFT) build -c release

build-debug:
	$(SWIFT) build

# Unit tests, then the spec suite through `kiln wast` (its last line is `N passed, M failed, K skipped`).
test: test-swift test-spec

test-swift:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers $(JOBS)

test-spec: build-debug
	$(KILN_DEBUG) wast $(SPEC)/*.wast --jobs $(JOBS)

# The main job on a bundled example: validate and describe a real module.
run: build-debug
	$(KILN_DEBUG) validate Fixtures/wasm/sort.wasm
	$(KILN_DEBUG) describe Fixtures/wasm/sort.wasm

# How long the validation pass over the spec suite takes in a release build.
spec-time: build
	time $(KILN_RELEASE) wast $(SPEC)/*.wast --jobs $(JOBS) | tail -1

# Rebuilds Fixtures/wasm from the sources in Fixtures/wat and Fixtures/c (needs wabt; zig via PyPI for C).
fixtures:
	Fixtures/build.sh

clean:
	rm -rf .build
