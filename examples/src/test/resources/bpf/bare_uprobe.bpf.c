// SPDX-License-Identifier: GPL-2.0
// bare_uprobe: a tracepoint program that sends one event per getpgid() of target_pid, and a uprobe whose section
// names no binary, which nothing can attach by its section.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __s32 target_pid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpgid")
int on_getpgid(void *ctx)
{
	__s32 pid = bpf_get_current_pid_tgid() >> 32;
	if (pid != target_pid)
		return 0;
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &pid, sizeof(pid));
	return 0;
}

SEC("uprobe")
int on_uprobe(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
