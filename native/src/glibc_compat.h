/*
 * Portability of the shared library across glibc releases. Built on Debian 12 (glibc 2.36), the library would ask for
 * pthread_create/join/mutex_trylock@GLIBC_2.34, pthread_sigmask@GLIBC_2.32 and exp/log@GLIBC_2.29, and refuse to load
 * on glibc 2.31 (Raspberry Pi OS Bullseye "Legacy", Debian 11, Ubuntu 20.04). Newer glibc keeps the original versions
 * of these functions as compatibility symbols (same code; exp/log with the old SVID error handling), so we bind to
 * those: the library then needs only GLIBC_2.17 (aarch64), 2.4 (armhf) or 2.2.5..2.17 (x86-64).
 * Enabled by -DET_GLIBC_PIN (build-native.sh); static executables must not use it (libc.a has no versions).
 */
#ifndef EDGETRAIN_GLIBC_COMPAT_H
#define EDGETRAIN_GLIBC_COMPAT_H
#if defined(ET_GLIBC_PIN)
#include <features.h>
#if defined(__GLIBC__)
#if defined(__x86_64__)
#define ET_GLIBC_BASE "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define ET_GLIBC_BASE "GLIBC_2.17"
#elif defined(__arm__)
#define ET_GLIBC_BASE "GLIBC_2.4"
#endif
#ifdef ET_GLIBC_BASE
__asm__(".symver pthread_create, pthread_create@" ET_GLIBC_BASE);
__asm__(".symver pthread_join, pthread_join@" ET_GLIBC_BASE);
__asm__(".symver pthread_mutex_trylock, pthread_mutex_trylock@" ET_GLIBC_BASE);
__asm__(".symver pthread_sigmask, pthread_sigmask@" ET_GLIBC_BASE);
__asm__(".symver exp, exp@" ET_GLIBC_BASE);
__asm__(".symver log, log@" ET_GLIBC_BASE);
#endif
#endif
#endif
#endif
