// SPDX-License-Identifier: GPL-2.0
// execsnoop: one event per execve(), with the parent's pid read through CO-RE and the arguments copied
// from user memory. Kernel types are declared here with preserve_access_index, so the object relocates
// to whatever layout the running kernel has.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define TASK_COMM_LEN 16
#define ARGSIZE 128
#define MAXARGS 20

struct task_struct {
	struct task_struct *real_parent;
	int tgid;
} __attribute__((preserve_access_index));

struct trace_event_raw_sys_enter {
	long id;
	unsigned long args[6];
} __attribute__((preserve_access_index));

/* One exec: args holds the file name and then argv[1..], each NUL-terminated; only the filled part is sent. */
struct exec_event {
	__u32 pid;
	__u32 ppid;
	__u32 uid;
	__s32 args_count;
	__u32 args_size;
	char comm[TASK_COMM_LEN];
	char args[MAXARGS * ARGSIZE];
};

/* Filters, set before load: uid (-1: any) and parent pid (0: any). */
const volatile __u32 target_uid = (__u32)-1;
const volatile __u32 target_ppid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_event);
} scratch SEC(".maps");

/* Events written (whether or not they fitted in a ring), per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} produced SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int execsnoop(struct trace_event_raw_sys_enter *ctx)
{
	__u32 zero = 0;
	__u32 uid = (__u32)bpf_get_current_uid_gid();
	if (target_uid != (__u32)-1 && uid != target_uid)
		return 0;

	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u32 ppid = BPF_CORE_READ(task, real_parent, tgid);
	if (target_ppid && ppid != target_ppid)
		return 0;

	struct exec_event *e = bpf_map_lookup_elem(&scratch, &zero);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = ppid;
	e->uid = uid;
	e->args_count = 0;
	e->args_size = 0;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));

	const char *filename = (const char *)BPF_CORE_READ(ctx, args[0]);
	const char **argv = (const char **)BPF_CORE_READ(ctx, args[1]);
	long n = bpf_probe_read_user_str(e->args, ARGSIZE, filename);
	if (n > 0 && n <= ARGSIZE) {
		e->args_size = n;
		e->args_count = 1;
	}
	for (int i = 1; i < MAXARGS; i++) {
		const char *arg = NULL;
		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			break;
		__u32 at = e->args_size;
		if (at > (MAXARGS - 1) * ARGSIZE)
			break;
		n = bpf_probe_read_user_str(&e->args[at], ARGSIZE, arg);
		if (n <= 0)
			break;
		e->args_count++;
		e->args_size += n;
	}

	__u64 *count = bpf_map_lookup_elem(&produced, &zero);
	if (count)
		*count += 1;
	__u64 len = sizeof(*e) - sizeof(e->args) + e->args_size;
	if (len <= sizeof(*e))
		bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, len);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
