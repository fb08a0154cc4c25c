// CO-RE test object: an exec snooper reading task->real_parent->tgid through hand-declared kernel types, a
// field this kernel lacks behind bpf_core_field_exists, a tp_btf program and a bare uprobe.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct {
	int tgid;
	struct task_struct *real_parent;
} __attribute__((preserve_access_index));

struct task_struct___fake {
	int no_such_field_in_any_kernel;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} exec_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} exec_count SEC(".maps");

const volatile __u32 parent_tgid = 0;
__u64 fallback_taken = 0;
__u64 tp_btf_hits = 0;
__u64 uprobe_hits = 0;

SEC("tracepoint/syscalls/sys_enter_execve")
int on_execve(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u32 ppid = BPF_CORE_READ(task, real_parent, tgid);
	if (ppid != parent_tgid)
		return 0;
	__u32 key = 0;
	__u64 *c = bpf_map_lookup_elem(&exec_count, &key);
	if (c)
		*c += 1;
	bpf_perf_event_output(ctx, &exec_events, BPF_F_CURRENT_CPU, &ppid, sizeof(ppid));
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int probe_missing_field(void *ctx)
{
	struct task_struct___fake *task = (void *)bpf_get_current_task();
	if ((bpf_get_current_pid_tgid() >> 32) != parent_tgid)
		return 0;
	if (bpf_core_field_exists(task->no_such_field_in_any_kernel))
		fallback_taken = 2;
	else
		fallback_taken = 1;
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec_btf)
{
	__sync_fetch_and_add(&tp_btf_hits, 1);
	return 0;
}

SEC("uprobe")
int on_uprobe(void *ctx)
{
	__sync_fetch_and_add(&uprobe_hits, 1);
	return 0;
}

SEC("?tracepoint/syscalls/sys_enter_getpgid")
int reads_missing_field(void *ctx)
{
	struct task_struct___fake *task = (void *)bpf_get_current_task();
	return BPF_CORE_READ(task, no_such_field_in_any_kernel);
}
