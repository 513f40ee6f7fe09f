#include "dlib_shim.h"

/* A C file, so SwiftPM compiles it with the C settings: without -mavx2, safe on any x86-64. */
int fr_cpu_supported(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 1;
#endif
}
