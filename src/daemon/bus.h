/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The event bus: every monitor (subscriber) has its own filter and its own
 * bounded queue.  Publishing never blocks: when a monitor's queue is full
 * the event is dropped for that monitor only, counted, and the monitor is
 * told "N events lost" as soon as there is room again.  A slow or stuck
 * monitor therefore never delays a supervised process.
 */
#ifndef SECPOL_BUS_H
#define SECPOL_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl/proto.h"
#include "event/event.h"

struct bus;
struct subscriber;

#define BUS_DEFAULT_QUEUE 4096 /* events per monitor */
#define BUS_MAX_QUEUE 65536
#define BUS_MIN_QUEUE 16

struct bus *bus_new(void);
void bus_free(struct bus *b);

/* A new monitor on socket fd (non-blocking) with its filter; names holds
 * nnames NUL-separated process names (validated by the caller).  NULL on
 * allocation failure. */
struct subscriber *bus_subscribe(struct bus *b, int fd,
				 const struct ctl_subscribe *f,
				 const char *names, size_t names_len);
void bus_unsubscribe(struct bus *b, struct subscriber *s);
/* The monitor's own process: its own events are not shown to it. */
void bus_set_self(struct subscriber *s, uint32_t pid);
size_t bus_count(const struct bus *b);

/* Offers an event to every monitor (filter, de-duplication, queue). */
void bus_publish(struct bus *b, const struct sp_event *e);
/* Queues a control message (e.g. CTL_POLICY with a descriptor) for every
 * monitor; it is never dropped.  Takes no ownership of fd. */
void bus_broadcast(struct bus *b, uint16_t type, int fd);

/* Sends what fits.  Returns 0 when s's queue is empty, 1 when more is
 * waiting (poll for EPOLLOUT), -errno when the monitor is gone. */
int bus_flush(struct subscriber *s);
bool bus_pending(const struct subscriber *s);
int bus_fd(const struct subscriber *s);

/* What the kernel should do for the current monitors. */
/* What the observation programs must report for the subscribers
 * (SPB_OBS_*). */
uint32_t bus_observe(const struct bus *b);
void bus_kernel_settings(const struct bus *b, bool *monitoring,
			 bool *repeats, uint64_t *late_ns);
/* Events dropped for slow monitors, in total. */
uint64_t bus_lost_total(const struct bus *b);

#endif
