// SPDX-License-Identifier: BSD-2-Clause
#include "version.h"

void version_print(FILE *out, const char *prog)
{
	fprintf(out, "%s (secpol) %s\n", prog, SECPOL_VERSION);
	fprintf(out, "secpol for Linux: BSD-2-Clause (the BPF programs: GPL-2.0)\n");
}
