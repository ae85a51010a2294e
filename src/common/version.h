/* SPDX-License-Identifier: BSD-2-Clause */
/* The release every program reports with --version. */
#ifndef SECPOL_VERSION_H
#define SECPOL_VERSION_H

#include <stdio.h>

#define SECPOL_VERSION "0.4.0"

/* "PROG (secpol) VERSION" and a line on the licence, to out. */
void version_print(FILE *out, const char *prog);

#endif
