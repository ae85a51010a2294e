// SPDX-License-Identifier: BSD-2-Clause
/*
 * threads: a process with N threads (the main one included) that lives
 * for SECONDS, or until SIGTERM, for the tests of secpol -l.
 *
 *   threads N SECONDS [FILE]   FILE is created once all threads run
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "common/strnum.h"

static pthread_barrier_t all_up;

static void *idle(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&all_up);
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t n, secs, i;

	if (argc < 3 || argc > 4 || strnum_u64(argv[1], 10, 1, 64, &n) < 0 ||
	    strnum_u64(argv[2], 10, 1, 3600, &secs) < 0) {
		fprintf(stderr, "usage: threads N SECONDS [FILE]\n");
		return 2;
	}
	pthread_barrier_init(&all_up, NULL, (unsigned)n);
	for (i = 1; i < n; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, idle, NULL) != 0) {
			perror("pthread_create");
			return 1;
		}
	}
	pthread_barrier_wait(&all_up);
	if (argc == 4) {
		int fd = open(argv[3], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		if (fd >= 0)
			close(fd);
	}
	sleep((unsigned)secs);
	return 0;
}
