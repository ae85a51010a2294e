/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Who talks to whom: a Graphviz (dot) graph of what was learned.  One node
 * per type, labelled with its abilities and the paths where it attached
 * channels and made links; an edge for each channel connect, each
 * settypeid and each attach that gave the channel another type.
 */
#ifndef SECPOL_GEN_DOT_H
#define SECPOL_GEN_DOT_H

#include "common/strbuf.h"
#include "model.h"

/* Appends the graph to out.  0 or -ENOMEM. */
int gen_write_dot(const struct gen_model *m, struct strbuf *out);

#endif
