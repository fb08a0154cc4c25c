// SPDX-License-Identifier: GPL-2.0
// loader_kconfig: __kconfig externs of each kind the loader resolves (the LINUX_ values, a bool, a tristate,
// an integer, a string, and a weak option no kernel has), copied into .bss on each getpgid() of target_pid so a
// test can compare them with the running kernel's.
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_KPROBES __kconfig;
extern int CONFIG_HZ __kconfig;
extern char CONFIG_LOCALVERSION[32] __kconfig;
extern bool CONFIG_REACTOR_BPF_NO_SUCH_OPTION __kconfig __weak;

const volatile __s32 target_pid = 0;

__u32 kernel_version = 0;
__u32 has_bpf_cookie = 0;
__u32 bpf_syscall = 0;
__u32 kprobes = 7;
__s32 hz = 0;
char localversion[32] = {};
__u32 no_such_option = 7;

SEC("tracepoint/syscalls/sys_enter_getpgid")
int read_kconfig(void *ctx)
{
	if ((__s32)(bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	kernel_version = LINUX_KERNEL_VERSION;
	has_bpf_cookie = LINUX_HAS_BPF_COOKIE;
	bpf_syscall = CONFIG_BPF_SYSCALL;
	kprobes = CONFIG_KPROBES;
	hz = CONFIG_HZ;
	for (int i = 0; i < sizeof(localversion); i++)
		localversion[i] = CONFIG_LOCALVERSION[i];
	no_such_option = CONFIG_REACTOR_BPF_NO_SUCH_OPTION;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
