// SPDX-License-Identifier: BSD-2-Clause
/*
 * attack: what a typed process could try against the enforcement engine
 * (tests/adversarial).  Each operation prints what it achieved, so the
 * test can tell a bypass from a refusal.
 *
 *   attack vsock-bind PORT          bind an AF_VSOCK socket to PORT; "ok"
 *                                   or the errno name
 *   attack ticket-race OWN VICTIM N arm a connect ticket for the typed
 *                                   caller's own datagram socket at OWN with
 *                                   a send the kernel refuses before its
 *                                   hook (MSG_OOB), make OWN name VICTIM (a
 *                                   hard link), then send to OWN while a
 *                                   thread swaps an inet socket and a unix
 *                                   socket under the descriptor; N times.
 *                                   Prints "tries=N sent=K" (sends the
 *                                   kernel took)
 *   attack passcred-sender TARGET NAMEFILE STOPFILE
 *                                   an unbound datagram socket with
 *                                   SO_PASSCRED sends to TARGET (the kernel
 *                                   names it by autobind), writes its
 *                                   abstract name (without the '@') to
 *                                   NAMEFILE, then receives until STOPFILE
 *                                   exists; prints "got=K"
 *   attack send-abstract NAME       send one datagram to @NAME
 *   attack autobind-many N WAITFILE bind N sockets by autobind (address
 *                                   length 2), print "bound=K error=E"
 *                                   (E: the first errno, or none), then
 *                                   hold them until WAITFILE exists
 *   attack signal PID SIG           kill(PID, SIG)
 *   attack setown PID               make PID the owner of a pipe's I/O
 *                                   signals: fcntl F_SETOWN
 *   attack setown-ex PID            the same with F_SETOWN_EX
 *   attack uffd-connect SECONDS     connect(2) with its address on a page
 *                                   registered with userfaultfd (from
 *                                   /dev/userfaultfd): secpold's read of it
 *                                   waits until the page is served, after
 *                                   SECONDS; prints "served" before and the
 *                                   connect's result after
 *   attack creds-serve PATH READY N a datagram socket at PATH that asks for
 *                                   credentials (SO_PASSCRED); prints for
 *                                   each of N messages "uid=U gid=G pid=P
 *                                   fd=LINK" (LINK: where a descriptor
 *                                   passed with it points, or -)
 *   attack send-creds PATH UID GID [FILE]
 *                                   sendmsg to PATH claiming UID and GID
 *                                   (SCM_CREDENTIALS; "-" for none), passing
 *                                   FILE opened (SCM_RIGHTS) if given
 *   attack fork-many N              fork up to N children that wait, then
 *                                   a thread; prints "forked=K error=E
 *                                   thread=T" (E: the fork's errno when it
 *                                   failed, T: ok or the errno of
 *                                   pthread_create), then lets them go
 *   attack bind-each DIR GO N       N times: wait for the file GO to appear,
 *                                   remove it, bind DIR/sK (K = 1..N) and
 *                                   print "K: ok" or "K: ERRNO"
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/vm_sockets.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int report(int r)
{
	if (r == 0) {
		puts("ok");
		return 0;
	}
	puts(strerrorname_np(errno) ? strerrorname_np(errno) : "E?");
	return 1;
}

static long num(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno) {
		fprintf(stderr, "attack: bad number %s\n", s);
		exit(2);
	}
	return v;
}

static socklen_t unix_addr(const char *path, struct sockaddr_un *sun)
{
	size_t n = strlen(path);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (n >= sizeof(sun->sun_path)) {
		fprintf(stderr, "attack: path too long: %s\n", path);
		exit(2);
	}
	memcpy(sun->sun_path, path, n + 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
}

static int vsock_bind(long port)
{
	struct sockaddr_vm vm = {
		.svm_family = AF_VSOCK,
		.svm_cid = VMADDR_CID_ANY,
		.svm_port = (unsigned)port,
	};
	int s = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return report(-1);
	return report(bind(s, (struct sockaddr *)&vm, sizeof(vm)));
}

/* ---- ticket-race ------------------------------------------------------ */

static atomic_int stop_flip;
static int flip_fd, flip_unix, flip_inet;

static void *flipper(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop_flip)) {
		dup2(flip_inet, flip_fd);
		dup2(flip_unix, flip_fd);
	}
	return NULL;
}

static int ticket_race(const char *own, const char *victim, long n)
{
	struct sockaddr_un sun;
	socklen_t len = unix_addr(own, &sun);
	pthread_t t;
	long i, sent = 0;
	int mine;

	flip_unix = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	flip_inet = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	flip_fd = dup(flip_unix);
	if (flip_unix < 0 || flip_inet < 0 || flip_fd < 0)
		return report(-1);
	if (pthread_create(&t, NULL, flipper, NULL))
		return 2;
	for (i = 0; i < n; i++) {
		/* OWN is this process's own channel: a send to it is allowed
		 * (a ticket); MSG_OOB makes the kernel refuse it before the
		 * hook runs */
		unlink(own);
		mine = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (mine < 0 || bind(mine, (struct sockaddr *)&sun, len) < 0) {
			fprintf(stderr, "attack: cannot bind %s: %s\n", own,
				strerror(errno));
			return 2;
		}
		sendto(flip_fd, "o", 1, MSG_OOB, (struct sockaddr *)&sun, len);
		/* now OWN names the victim's socket */
		unlink(own);
		if (link(victim, own) < 0) {
			fprintf(stderr, "attack: cannot link %s to %s: %s\n",
				victim, own, strerror(errno));
			close(mine);
			break;
		}
		if (sendto(flip_fd, "v", 1, 0, (struct sockaddr *)&sun, len) == 1)
			sent++;
		close(mine);
	}
	atomic_store(&stop_flip, 1);
	pthread_join(t, NULL);
	unlink(own);
	printf("tries=%ld sent=%ld\n", i, sent);
	return 0;
}

static int passcred_sender(const char *target, const char *namefile,
			   const char *stopfile)
{
	struct sockaddr_un sun, me;
	socklen_t len = unix_addr(target, &sun), mlen = sizeof(me);
	struct timeval tv = {.tv_usec = 100000};
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1;
	long got = 0;
	char buf[16];
	FILE *f;

	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) ||
	    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return report(-1);
	if (sendto(s, "p", 1, 0, (struct sockaddr *)&sun, len) != 1)
		return report(-1);
	if (getsockname(s, (struct sockaddr *)&me, &mlen) < 0 ||
	    mlen <= offsetof(struct sockaddr_un, sun_path) + 1)
		return report(-1);
	f = fopen(namefile, "we");
	if (!f)
		return report(-1);
	fwrite(me.sun_path + 1, 1, mlen - offsetof(struct sockaddr_un, sun_path) - 1,
	       f);
	fclose(f);
	while (access(stopfile, F_OK) < 0)
		if (recv(s, buf, sizeof(buf), 0) > 0)
			got++;
	printf("got=%ld\n", got);
	return 0;
}

static int send_abstract(const char *name)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	size_t n = strlen(name);
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (n + 1 >= sizeof(sun.sun_path))
		return 2;
	memcpy(sun.sun_path + 1, name, n);
	return report(sendto(s, "a", 1, 0, (struct sockaddr *)&sun,
			     (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
					 1 + n)) == 1 ? 0 : -1);
}

static int autobind_many(long n, const char *waitfile)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	long bound = 0;
	int err = 0;

	for (long i = 0; i < n; i++) {
		int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

		if (s < 0 || bind(s, (struct sockaddr *)&sun,
				  sizeof(sa_family_t)) < 0) {
			if (!err)
				err = errno;
			continue;
		}
		bound++;
	}
	printf("bound=%ld error=%s\n", bound,
	       err ? (strerrorname_np(err) ? strerrorname_np(err) : "E?") :
		     "none");
	while (access(waitfile, F_OK) < 0)
		usleep(20000);
	return 0;
}

static int setown(long pid, bool ex)
{
	struct f_owner_ex o = {.type = F_OWNER_PID, .pid = (pid_t)pid};
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return report(-1);
	if (ex)
		return report(fcntl(p[0], F_SETOWN_EX, &o));
	return report(fcntl(p[0], F_SETOWN, (int)pid));
}

static int uffd_connect(long secs)
{
	struct uffdio_api api = {.api = UFFD_API};
	struct uffdio_register reg = {.mode = UFFDIO_REGISTER_MODE_MISSING};
	struct uffdio_zeropage zp = {0};
	long page = sysconf(_SC_PAGESIZE);
	int dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC), uffd, s;
	char *p;

	if (dev < 0)
		return report(-1);
	uffd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) < 0)
		return report(-1);
	p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return report(-1);
	reg.range.start = (unsigned long)p;
	reg.range.len = (unsigned long)page;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) < 0)
		return report(-1);
	if (fork() == 0) {
		/* the server of the page: later */
		sleep((unsigned)secs);
		zp.range = reg.range;
		puts("served");
		ioctl(uffd, UFFDIO_ZEROPAGE, &zp);
		_exit(0);
	}
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* the address is on the page nobody has served yet */
	return report(connect(s, (struct sockaddr *)p,
			      sizeof(struct sockaddr_un)));
}

static int creds_serve(const char *path, const char *ready, long n)
{
	struct sockaddr_un sun;
	socklen_t len = unix_addr(path, &sun);
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1;
	FILE *f;

	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) ||
	    bind(s, (struct sockaddr *)&sun, len) < 0)
		return report(-1);
	f = fopen(ready, "we");
	if (f)
		fclose(f);
	for (long i = 0; i < n; i++) {
		char buf[64], cbuf[CMSG_SPACE(sizeof(struct ucred)) +
				   CMSG_SPACE(sizeof(int))];
		struct iovec iov = {buf, sizeof(buf)};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = cbuf,
				    .msg_controllen = sizeof(cbuf)};
		struct ucred cr = {0};
		char link[256] = "-";

		if (recvmsg(s, &mh, 0) < 0)
			return report(-1);
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm;
		     cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_type == SCM_CREDENTIALS)
				memcpy(&cr, CMSG_DATA(cm), sizeof(cr));
			if (cm->cmsg_type == SCM_RIGHTS) {
				int fd;
				char p[64];
				ssize_t k;

				memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
				snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
				k = readlink(p, link, sizeof(link) - 1);
				link[k > 0 ? k : 0] = '\0';
			}
		}
		printf("uid=%u gid=%u pid=%d fd=%s\n", cr.uid, cr.gid, cr.pid,
		       link);
	}
	return 0;
}

static int send_creds(const char *path, const char *uid, const char *gid,
		      const char *file)
{
	struct sockaddr_un sun;
	socklen_t len = unix_addr(path, &sun);
	char cbuf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {"c", 1};
	struct msghdr mh = {.msg_name = &sun, .msg_namelen = len,
			    .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf};
	struct cmsghdr *cm = (struct cmsghdr *)cbuf;
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (strcmp(uid, "-")) {
		struct ucred cr = {.pid = getpid(), .uid = (uid_t)num(uid),
				   .gid = (gid_t)num(gid)};

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_CREDENTIALS;
		cm->cmsg_len = CMSG_LEN(sizeof(cr));
		memcpy(CMSG_DATA(cm), &cr, sizeof(cr));
		mh.msg_controllen += CMSG_SPACE(sizeof(cr));
		cm = (struct cmsghdr *)(cbuf + mh.msg_controllen);
	}
	if (file) {
		int fd = open(file, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return report(-1);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
		mh.msg_controllen += CMSG_SPACE(sizeof(int));
	}
	if (!mh.msg_controllen)
		mh.msg_control = NULL;
	return report(sendmsg(s, &mh, 0) == 1 ? 0 : -1);
}

static int bind_each(const char *dir, const char *go, long n)
{
	for (long k = 1; k <= n; k++) {
		struct sockaddr_un sun;
		char path[256];
		int s;

		while (unlink(go) < 0)
			usleep(10000);
		snprintf(path, sizeof(path), "%s/s%ld", dir, k);
		s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		printf("%ld: ", k);
		report(bind(s, (struct sockaddr *)&sun, unix_addr(path, &sun)));
		close(s);
	}
	return 0;
}

static void *idle_thread(void *arg)
{
	return arg;
}

static int fork_many(long n)
{
	int p[2], err = 0, terr;
	long k = 0;
	pthread_t t;

	if (pipe2(p, O_CLOEXEC) < 0)
		return report(-1);
	for (; k < n; k++) {
		pid_t pid = fork();
		char b;

		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {
			close(p[1]);
			/* until the parent closes its end */
			while (read(p[0], &b, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
	}
	terr = pthread_create(&t, NULL, idle_thread, NULL);
	if (!terr)
		pthread_join(t, NULL);
	printf("forked=%ld error=%s thread=%s\n", k,
	       err ? strerrorname_np(err) : "none",
	       terr ? strerrorname_np(terr) : "ok");
	close(p[1]);
	while (wait(NULL) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 3 && !strcmp(op, "vsock-bind"))
		return vsock_bind(num(argv[2]));
	if (argc == 5 && !strcmp(op, "ticket-race"))
		return ticket_race(argv[2], argv[3], num(argv[4]));
	if (argc == 5 && !strcmp(op, "passcred-sender"))
		return passcred_sender(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(op, "send-abstract"))
		return send_abstract(argv[2]);
	if (argc == 4 && !strcmp(op, "autobind-many"))
		return autobind_many(num(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(op, "signal"))
		return report(kill((pid_t)num(argv[2]), (int)num(argv[3])));
	if (argc == 3 && !strcmp(op, "setown"))
		return setown(num(argv[2]), false);
	if (argc == 3 && !strcmp(op, "setown-ex"))
		return setown(num(argv[2]), true);
	if (argc == 3 && !strcmp(op, "uffd-connect"))
		return uffd_connect(num(argv[2]));
	if (argc == 5 && !strcmp(op, "creds-serve"))
		return creds_serve(argv[2], argv[3], num(argv[4]));
	if ((argc == 5 || argc == 6) && !strcmp(op, "send-creds"))
		return send_creds(argv[2], argv[3], argv[4],
				  argc == 6 ? argv[5] : NULL);
	if (argc == 3 && !strcmp(op, "fork-many"))
		return fork_many(num(argv[2]));
	if (argc == 5 && !strcmp(op, "bind-each"))
		return bind_each(argv[2], argv[3], num(argv[4]));
	fprintf(stderr, "usage: see tests/helpers/attack.c\n");
	return 2;
}
