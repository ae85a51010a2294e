// SPDX-License-Identifier: BSD-2-Clause
/*
 * Reading a supervised thread's memory.  process_vm_readv is one system
 * call with no file descriptor; /proc/PID/mem is the fallback for when it
 * is refused (EPERM: e.g. a seccomp filter on the daemon, or ENOSYS on a
 * kernel without CONFIG_CROSS_MEMORY_ATTACH).  Both accept a thread id.
 *
 * Strings are read one page at a time and never past the page that holds
 * their end: the bytes after it may be unmapped, or mapped by something
 * whose fault the daemon must not trigger (a userfaultfd or FUSE-backed
 * mapping would stall the daemon on a page the kernel itself would never
 * have read for this call).
 */
#include "procmem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common/util.h"

static size_t page_size(void)
{
	static size_t ps;

	/* A benign race: every thread computes the same value. */
	if (!ps)
		ps = (size_t)sysconf(_SC_PAGESIZE);
	return ps;
}

/* pread on /proc/PID/mem.  Returns bytes read (short at an unmapped page)
 * or -errno.  Opened per call: this path is only taken when
 * process_vm_readv is refused, and a cached descriptor would pin the
 * address space of a process that may have exec'd or died. */
static ssize_t mem_pread(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	_cleanup_close_ int fd = -1;
	char path[32];
	size_t got = 0;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got,
				  (off_t)(addr + got));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* The kernel reports an unmapped page as EIO. */
			if (errno == EIO || errno == EFAULT)
				break;
			return -errno;
		}
		/* 0 at the start: the address space is gone (exit). */
		if (n == 0) {
			if (got == 0)
				return -ESRCH;
			break;
		}
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * Reads up to len bytes; returns how many were read before the first
 * unreadable page (0 < n <= len), -EFAULT if none, -ESRCH or -errno.
 * The caller keeps len within what it knows it needs.
 */
static ssize_t read_some(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = {.iov_base = buf, .iov_len = len};
	struct iovec remote = {.iov_base = (void *)(uintptr_t)addr,
			       .iov_len = len};
	ssize_t n;

	/* Kernel addresses and wrap-around: never readable, and pread
	 * would reject offsets above INT64_MAX with EINVAL. */
	if (addr > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - addr)
		return -EFAULT;
	n = RETRY_EINTR(process_vm_readv(pid, &local, 1, &remote, 1, 0));
	if (n > 0)
		return n;
	if (n == 0)
		return -EFAULT;
	switch (errno) {
	case EPERM:
	case ENOSYS:
		break;
	case EFAULT:
		return -EFAULT;
	case ESRCH:
		return -ESRCH;
	default:
		return -errno;
	}
	n = mem_pread(pid, addr, buf, len);
	if (n == 0)
		return -EFAULT;
	return n;
}

int procmem_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n =
		    read_some(pid, addr + got, (char *)buf + got, len - got);

		if (n < 0)
			return (int)n;
		got += (size_t)n;
	}
	return 0;
}

ssize_t procmem_read_str(pid_t pid, uint64_t addr, char *buf, size_t max)
{
	size_t ps = page_size();
	size_t got = 0;

	if (max == 0)
		return -EINVAL;
	while (got < max) {
		uint64_t at = addr + got;
		size_t chunk = ps - (size_t)(at & (ps - 1));
		const char *nul;
		ssize_t n;

		if (chunk > max - got)
			chunk = max - got;
		n = read_some(pid, at, buf + got, chunk);
		if (n < 0)
			return n;
		nul = memchr(buf + got, '\0', (size_t)n);
		if (nul)
			return nul - buf;
		got += (size_t)n;
		/* A short read inside one page: the rest is unreadable and
		 * the string did not end before it. */
		if ((size_t)n < chunk)
			return -EFAULT;
	}
	/* Keep buf a string even on error, for callers that log it. */
	buf[max - 1] = '\0';
	return -ENAMETOOLONG;
}
