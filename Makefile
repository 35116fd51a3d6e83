# GoldenGrain — see README.md. `make run` and `make test` are the two quick-start commands.
SWIFT ?= swift
TARGET ?= rlp
SECONDS ?= 60
BIN := .build/release/goldengrain

.PHONY: deps build run test bench fuzz clean

deps:            ## install Debian -dev packages and the Python venv
	bash scripts/deps.sh

build: deps      ## release build of the goldengrain CLI
	$(SWIFT) build -c release --product goldengrain

run: build       ## the main job: a dev node (chain 31337, anvil's accounts, automine)
	$(BIN) node --dev

test: deps       ## every test, one closing summary line
	bash scripts/test.sh

bench: deps      ## package-benchmark suites in Benchmarks/ (release)
	GOLDENGRAIN_BENCHMARKS=1 $(SWIFT) package --scratch-path .build-bench --allow-writing-to-package-directory benchmark

fuzz:            ## libFuzzer + ASan on one target (scripts/fuzz.sh list): make fuzz TARGET=rlp SECONDS=600
	bash scripts/fuzz.sh run $(TARGET) $(SECONDS)

clean:
	rm -rf .build out
