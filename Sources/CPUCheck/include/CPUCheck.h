#ifndef AEDETECT_CPUCHECK_H
#define AEDETECT_CPUCHECK_H

/// Exit status of a binary started on a CPU without the instructions it was built for
/// (EX_CONFIG: this build does not fit this machine).
#define AEDETECT_EXIT_CPU 78

/// The x86-64 features this binary was compiled for that the running CPU lacks, as
/// "avx2, fma", or NULL when nothing is missing (always NULL on other architectures
/// and in portable builds). Compiled without AVX2, so it is safe to call on any CPU.
const char *aedetect_missing_cpu_features(void);

/// Exits with AEDETECT_EXIT_CPU and a message on stderr when features are missing.
/// It also runs by itself as a constructor, before main and before any Swift code.
void aedetect_check_cpu(void);

#endif
