// SPDX-License-Identifier: GPL-2.0
// tool_choices: an object that, like many libbpf-tools objects, loads only after choices its tool makes: it
// leaves the max_entries of its "seen" hash for the tool to set, and has a program on a tracepoint x86_64 does not
// have (sys_enter_sync_file_range2, as syncsnoop does) for the tool to turn off. The other program sends the pid of
// each getpgid() of target_pid and counts it in "seen".
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __s32 target_pid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

// a value size no other map here has, so a test can tell it among the process's maps
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 24);
} seen SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpgid")
int on_getpgid(void *ctx)
{
	__s32 pid = bpf_get_current_pid_tgid() >> 32;
	if (pid != target_pid)
		return 0;
	__u64 count[3] = {1, 0, 0};
	bpf_map_update_elem(&seen, &pid, count, BPF_NOEXIST);
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &pid, sizeof(pid));
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sync_file_range2")
int on_sync_file_range2(void *ctx)
{
	__s32 pid = bpf_get_current_pid_tgid() >> 32;
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &pid, sizeof(pid));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
