#include "CFuzzerDriver.h"

// Defined by libclang_rt.fuzzer (linked by -sanitize=fuzzer); LLVM 12 and later.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test)(const uint8_t *data, size_t size));

int goldengrain_fuzz_run_driver(int argc, char **argv, int (*test)(const uint8_t *data, size_t size)) {
    return LLVMFuzzerRunDriver(&argc, &argv, test);
}
