// libFuzzer's driver entry point, for fuzz executables that bring their own `main` (SwiftPM names an
// executable's entry point `<Module>_main` and links `main` to it, so libFuzzer's own `main` is not
// used). See Fuzz/Support/Fuzz.swift.
#ifndef GOLDENGRAIN_CFUZZERDRIVER_H
#define GOLDENGRAIN_CFUZZERDRIVER_H

#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer with the process's arguments and `test` as LLVMFuzzerTestOneInput.
int goldengrain_fuzz_run_driver(int argc, char **argv, int (*test)(const uint8_t *data, size_t size));

#endif
