// The release and debug builds compile aedetect's Swift code for Haswell (AVX2, FMA; see
// Package.swift). On an older x86-64 CPU the first such instruction would kill the process with
// SIGILL (exit status 132) and no word of why. This file is C compiled for the baseline x86-64
// instruction set, and checks the CPU in a constructor, which runs before main and before any
// Swift code of the binary, so the user gets a message and a documented status instead.
#include "CPUCheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *aedetect_missing_cpu_features(void) {
#if defined(__x86_64__) && defined(AEDETECT_NEEDS_X86_64_V3)
    static char missing[64];
    missing[0] = 0;
    __builtin_cpu_init();
    // What -target-cpu haswell lets the compiler use in the numeric loops.
    static const char *const names[] = {"avx2", "fma", "avx", "bmi2", "f16c"};
    const int have[] = {
        __builtin_cpu_supports("avx2"), __builtin_cpu_supports("fma"), __builtin_cpu_supports("avx"),
        __builtin_cpu_supports("bmi2"), __builtin_cpu_supports("f16c"),
    };
    for (unsigned i = 0; i < sizeof have / sizeof have[0]; i++) {
        if (have[i]) continue;
        if (missing[0]) strcat(missing, ", ");
        strcat(missing, names[i]);
    }
    return missing[0] ? missing : NULL;
#else
    return NULL;
#endif
}

void aedetect_check_cpu(void) {
    const char *missing = aedetect_missing_cpu_features();
    if (!missing) return;
    // AEDETECT_SKIP_CPU_CHECK=1 lets the binary run anyway (to see the crash for oneself).
    const char *skip = getenv("AEDETECT_SKIP_CPU_CHECK");
    if (skip && skip[0] && strcmp(skip, "0") != 0) return;
    fprintf(stderr,
            "aedetect: this binary needs an x86-64 CPU with AVX2 and FMA (x86-64-v3: Intel Haswell, AMD Zen or later); "
            "this CPU lacks %s.\n"
            "Build it from source for this machine: AEDETECT_PORTABLE=1 swift build -c release "
            "(see README, \"Exit statuses\").\n",
            missing);
    fflush(stderr);
    _exit(AEDETECT_EXIT_CPU);
}

__attribute__((constructor(101))) static void aedetect_cpu_check_at_start(void) { aedetect_check_cpu(); }
