// SPDX-License-Identifier: GPL-2.0
// execs: each execve() of a child of target_ppid (0: any), sent both to a perf event array and to a ring buffer,
// so the starter's tests stream one object's two kinds of event map. The parent's pid is read through CO-RE.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	struct task_struct *real_parent;
	int tgid;
} __attribute__((preserve_access_index));

struct trace_event_raw_sys_enter {
	long id;
	unsigned long args[6];
} __attribute__((preserve_access_index));

struct exec_event {
	__u32 pid;
	__u32 ppid;
	char comm[16];
	char file[64];
};

const volatile __u32 target_ppid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} ring_events SEC(".maps");

/* Execs seen, whether or not they fitted in the rings: not a stream. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int on_exec(struct trace_event_raw_sys_enter *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u32 ppid = BPF_CORE_READ(task, real_parent, tgid);
	if (target_ppid && ppid != target_ppid)
		return 0;

	struct exec_event e = {};
	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.ppid = ppid;
	bpf_get_current_comm(&e.comm, sizeof(e.comm));
	bpf_probe_read_user_str(e.file, sizeof(e.file), (const char *)BPF_CORE_READ(ctx, args[0]));

	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&seen, &zero);
	if (count)
		__sync_fetch_and_add(count, 1);
	bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	bpf_ringbuf_output(&ring_events, &e, sizeof(e), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
