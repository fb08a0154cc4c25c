// SPDX-License-Identifier: GPL-2.0
// stack_counts: shaped as profile and offcputime are, counts each getpgid() of process target_tgid by its
// kernel and user stacks: a hash keyed by {pid, tgid, user_stack_id, kern_stack_id, name} whose values count, and
// the STACK_TRACE map the ids point into, left unsized for the loader to size as the tools' maps are.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct key_t {
	__u32 pid;
	__u32 tgid;
	int user_stack_id;
	int kern_stack_id;
	char name[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
} stackmap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct key_t);
	__type(value, __u64);
} counts SEC(".maps");

const volatile __u32 target_tgid = 0;

SEC("tracepoint/syscalls/sys_enter_getpgid")
int count_stack(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	if ((id >> 32) != target_tgid)
		return 0;
	struct key_t key = {};
	key.pid = (__u32)id;
	key.tgid = id >> 32;
	key.user_stack_id = bpf_get_stackid(ctx, &stackmap, BPF_F_USER_STACK);
	key.kern_stack_id = bpf_get_stackid(ctx, &stackmap, 0);
	bpf_get_current_comm(&key.name, sizeof(key.name));
	__u64 one = 1;
	__u64 *count = bpf_map_lookup_elem(&counts, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
	return 0;
}
