// SPDX-License-Identifier: BSD-2-Clause
#include "ability.h"

#include <linux/capability.h>
#include <string.h>
#include <strings.h>

#define UIDMAX 0xfffffffeULL /* (uid_t)-1 means "unchanged" to set*uid */
#define PORTMAX 0xffffULL
#define TYPEMAX 0xffffULL

/* clang-format off */
#define CAP(n, nm, up, q, v, vmax, d) \
	{ (n), AB_KIND_CAP, (v), (vmax), nm, up, q, d }
#define SP(n, nm, up, v, vmax, d) \
	{ (n), AB_KIND_SECPOL, (v), (vmax), nm, up, NULL, d }

static const struct ability_info table[] = {
	CAP(CAP_CHOWN, "chown", "CHOWN", NULL, AB_VAL_NONE, 0,
	    "change file owners and groups"),
	CAP(CAP_DAC_OVERRIDE, "dac_override", "DAC_OVERRIDE", NULL, AB_VAL_NONE, 0,
	    "bypass file read, write and execute permission checks"),
	CAP(CAP_DAC_READ_SEARCH, "dac_read_search", "DAC_READ_SEARCH", NULL, AB_VAL_NONE, 0,
	    "bypass file read and directory search permission checks"),
	CAP(CAP_FOWNER, "fowner", "FOWNER", NULL, AB_VAL_NONE, 0,
	    "act as the owner of any file"),
	CAP(CAP_FSETID, "fsetid", "FSETID", NULL, AB_VAL_NONE, 0,
	    "keep set-user-ID and set-group-ID bits when files change"),
	CAP(CAP_KILL, "kill", "KILL", "signal", AB_VAL_NONE, 0,
	    "send signals to processes of other users"),
	CAP(CAP_SETGID, "setgid", "SETGID", NULL, AB_VAL_NUMBER, UIDMAX,
	    "change group IDs (subrange: the group IDs allowed)"),
	CAP(CAP_SETUID, "setuid", "SETUID", NULL, AB_VAL_NUMBER, UIDMAX,
	    "change user IDs (subrange: the user IDs allowed)"),
	CAP(CAP_SETPCAP, "setpcap", "SETPCAP", NULL, AB_VAL_NONE, 0,
	    "change capability bounding sets and securebits"),
	CAP(CAP_LINUX_IMMUTABLE, "linux_immutable", "LINUX_IMMUTABLE", NULL, AB_VAL_NONE, 0,
	    "set immutable and append-only file attributes"),
	CAP(CAP_NET_BIND_SERVICE, "net_bind_service", "NET_BIND_SERVICE", NULL, AB_VAL_NUMBER, PORTMAX,
	    "bind privileged ports (subrange: the ports allowed)"),
	CAP(CAP_NET_BROADCAST, "net_broadcast", "NET_BROADCAST", NULL, AB_VAL_NONE, 0,
	    "broadcast and listen to multicast"),
	CAP(CAP_NET_ADMIN, "net_admin", "NET_ADMIN", NULL, AB_VAL_NONE, 0,
	    "configure network interfaces, routes and firewalls"),
	CAP(CAP_NET_RAW, "net_raw", "NET_RAW", NULL, AB_VAL_NONE, 0,
	    "use raw and packet sockets"),
	CAP(CAP_IPC_LOCK, "ipc_lock", "IPC_LOCK", "mem_lock", AB_VAL_NONE, 0,
	    "lock memory"),
	CAP(CAP_IPC_OWNER, "ipc_owner", "IPC_OWNER", NULL, AB_VAL_NONE, 0,
	    "bypass System V IPC permission checks"),
	CAP(CAP_SYS_MODULE, "sys_module", "SYS_MODULE", NULL, AB_VAL_NONE, 0,
	    "load and unload kernel modules"),
	CAP(CAP_SYS_RAWIO, "sys_rawio", "SYS_RAWIO", "io", AB_VAL_NONE, 0,
	    "raw I/O: I/O ports, /dev/mem, raw block device commands"),
	CAP(CAP_SYS_CHROOT, "sys_chroot", "SYS_CHROOT", "chroot", AB_VAL_NONE, 0,
	    "change the root directory"),
	CAP(CAP_SYS_PTRACE, "sys_ptrace", "SYS_PTRACE", "xprocess_debug", AB_VAL_NONE, 0,
	    "trace and inspect any process"),
	CAP(CAP_SYS_PACCT, "sys_pacct", "SYS_PACCT", NULL, AB_VAL_NONE, 0,
	    "configure process accounting"),
	CAP(CAP_SYS_ADMIN, "sys_admin", "SYS_ADMIN", NULL, AB_VAL_NONE, 0,
	    "system administration: mount, namespaces, many others"),
	CAP(CAP_SYS_BOOT, "sys_boot", "SYS_BOOT", "reboot", AB_VAL_NONE, 0,
	    "reboot and load new kernels"),
	CAP(CAP_SYS_NICE, "sys_nice", "SYS_NICE", "priority", AB_VAL_NONE, 0,
	    "raise priorities and set real-time scheduling"),
	CAP(CAP_SYS_RESOURCE, "sys_resource", "SYS_RESOURCE", "rlimit", AB_VAL_NONE, 0,
	    "override resource limits"),
	CAP(CAP_SYS_TIME, "sys_time", "SYS_TIME", "clockset", AB_VAL_NONE, 0,
	    "set the system clock"),
	CAP(CAP_SYS_TTY_CONFIG, "sys_tty_config", "SYS_TTY_CONFIG", NULL, AB_VAL_NONE, 0,
	    "configure terminals (vhangup)"),
	CAP(CAP_MKNOD, "mknod", "MKNOD", NULL, AB_VAL_NONE, 0,
	    "create device nodes"),
	CAP(CAP_LEASE, "lease", "LEASE", NULL, AB_VAL_NONE, 0,
	    "take file leases on files of other users"),
	CAP(CAP_AUDIT_WRITE, "audit_write", "AUDIT_WRITE", NULL, AB_VAL_NONE, 0,
	    "write to the kernel audit log"),
	CAP(CAP_AUDIT_CONTROL, "audit_control", "AUDIT_CONTROL", NULL, AB_VAL_NONE, 0,
	    "configure kernel auditing"),
	CAP(CAP_SETFCAP, "setfcap", "SETFCAP", NULL, AB_VAL_NONE, 0,
	    "set file capabilities"),
	CAP(CAP_MAC_OVERRIDE, "mac_override", "MAC_OVERRIDE", NULL, AB_VAL_NONE, 0,
	    "override mandatory access control"),
	CAP(CAP_MAC_ADMIN, "mac_admin", "MAC_ADMIN", "mac_policy", AB_VAL_NONE, 0,
	    "configure mandatory access control"),
	CAP(CAP_SYSLOG, "syslog", "SYSLOG", NULL, AB_VAL_NONE, 0,
	    "privileged syslog operations, read kernel addresses"),
	CAP(CAP_WAKE_ALARM, "wake_alarm", "WAKE_ALARM", NULL, AB_VAL_NONE, 0,
	    "set timers that wake the system"),
	CAP(CAP_BLOCK_SUSPEND, "block_suspend", "BLOCK_SUSPEND", NULL, AB_VAL_NONE, 0,
	    "block system suspend"),
	CAP(CAP_AUDIT_READ, "audit_read", "AUDIT_READ", NULL, AB_VAL_NONE, 0,
	    "read the audit log over multicast netlink"),
	CAP(CAP_PERFMON, "perfmon", "PERFMON", NULL, AB_VAL_NONE, 0,
	    "use performance monitoring"),
	CAP(CAP_BPF, "bpf", "BPF", NULL, AB_VAL_NONE, 0,
	    "use privileged BPF operations"),
	CAP(CAP_CHECKPOINT_RESTORE, "checkpoint_restore", "CHECKPOINT_RESTORE", NULL, AB_VAL_NONE, 0,
	    "checkpoint and restore operations"),
	SP(AB_PATHSPACE, "pathspace", "PATHSPACE", AB_VAL_NONE, 0,
	   "put names into the path space: AF_UNIX bind, mknod, mount, symlink"),
	SP(AB_PUBLIC_CHANNEL, "public_channel", "PUBLIC_CHANNEL", AB_VAL_NONE, 0,
	   "listen() on a socket"),
	SP(AB_CHANNEL_CONNECT, "channel_connect", "CHANNEL_CONNECT", AB_VAL_TYPE, TYPEMAX,
	   "connect to AF_UNIX channels of other processes (subrange: channel types)"),
	SP(AB_SETTYPEID, "settypeid", "SETTYPEID", AB_VAL_TYPE, TYPEMAX,
	   "start processes under another type (subrange: types)"),
	SP(AB_IO_URING, "io_uring", "IO_URING", AB_VAL_NONE, 0,
	   "use io_uring, whose operations bypass supervision"),
	SP(AB_MOUNT_API, "mount_api", "MOUNT_API", AB_VAL_NONE, 0,
	   "use the new mount API (fsopen, move_mount, ...), which bypasses supervision"),
	SP(AB_COMPAT_SYSCALLS, "compat_syscalls", "COMPAT_SYSCALLS", AB_VAL_NONE, 0,
	   "make system calls of a non-native architecture, which bypass supervision"),
};

/* QNX procmgr abilities that have no meaning on Linux (QNX 7.x and 8.0). */
static const char *const qnx_only[] = {
	"able_create", "able_priv", "aps_root", "child_newapp", "clockperiod",
	"confset", "connection", "container_create", "container_destroy",
	"container_query", "cpumode", "default_timer_tolerance", "dumper",
	"event", "fork", "getid", "high_resolution_timer", "hyp", "interrupt",
	"interruptevent", "keydata", "map_fixed", "mem_add", "mem_global",
	"mem_peer", "mem_phys", "mem_special", "mountifs", "msg_queue",
	"path_trust", "pgrp", "power", "privreg", "prot_exec",
	"prot_write_and_exec", "qnet", "qvm", "rconstraint", "rlimit_peer",
	"rsrcdbmgr", "runstate", "runstate_burst", "sandbox", "schedule",
	"server_monitor", "session", "setcontainerid", "sigev_thread", "spawn",
	"spawn_setgid", "spawn_setuid", "srandom", "swap", "timer", "trace",
	"umask", "untrusted_exec", "v86", "wait", "xprocess_able",
	"xprocess_mem_read", "xprocess_query", "xthread_threadctl",
};
/* clang-format on */

_Static_assert(CAP_LAST_CAP + 1 >= AB_NCAPS, "kernel headers too old");

const struct ability_info *ability_nth(size_t i)
{
	return i < sizeof(table) / sizeof(table[0]) ? &table[i] : NULL;
}

const char *ability_qnx_only_nth(size_t i)
{
	return i < sizeof(qnx_only) / sizeof(qnx_only[0]) ? qnx_only[i] : NULL;
}

/* QNX's non-root default: a server may listen without asking */
static const uint16_t defaults[] = { AB_PUBLIC_CHANNEL };

const uint16_t *ability_defaults(size_t *n)
{
	*n = sizeof(defaults) / sizeof(defaults[0]);
	return defaults;
}

const char *ability_alias_nth(size_t i, uint16_t *target)
{
	size_t k, seen = 0;

	for (k = 0; k < sizeof(table) / sizeof(table[0]); k++) {
		if (!table[k].qnx)
			continue;
		if (seen++ == i) {
			*target = table[k].id;
			return table[k].qnx;
		}
	}
	return NULL;
}

const struct ability_info *ability_by_id(uint16_t id)
{
	if (id < AB_NCAPS)
		return &table[id];
	if (id >= AB_SECPOL_FIRST && id <= AB_SECPOL_LAST)
		return &table[AB_NCAPS + (id - AB_SECPOL_FIRST)];
	return NULL;
}

static bool name_eq(const char *a, size_t alen, const char *b)
{
	return strlen(b) == alen && strncasecmp(a, b, alen) == 0;
}

const struct ability_info *ability_lookup(const char *name, size_t len,
					  bool *via_alias)
{
	size_t i;

	if (via_alias)
		*via_alias = false;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (name_eq(name, len, table[i].name))
			return &table[i];
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (table[i].qnx && name_eq(name, len, table[i].qnx)) {
			if (via_alias)
				*via_alias = true;
			return &table[i];
		}
	}
	return NULL;
}

bool ability_is_qnx_only(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(qnx_only) / sizeof(qnx_only[0]); i++)
		if (name_eq(name, len, qnx_only[i]))
			return true;
	return false;
}
