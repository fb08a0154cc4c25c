// CO-RE test object for the running kernel's BTF: task_struct as the program declares it, and a flavor with
// a field no kernel has, read only behind bpf_core_field_exists.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	int pid;
	int tgid;
	struct task_struct *real_parent;
} __attribute__((preserve_access_index));

struct task_struct___future {
	long reactor_bpf_made_up_field;
} __attribute__((preserve_access_index));

unsigned long long out[4];

SEC("raw_tp/sched_process_exec")
int observe(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct task_struct___future *future = (void *)task;

	out[0] = BPF_CORE_READ(task, real_parent, tgid);
	out[1] = BPF_CORE_READ(task, pid);
	out[2] = bpf_core_field_exists(future->reactor_bpf_made_up_field);
	if (bpf_core_field_exists(future->reactor_bpf_made_up_field))
		out[3] = BPF_CORE_READ(future, reactor_bpf_made_up_field);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
