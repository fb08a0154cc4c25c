// A stack map left unsized, as offcputime ships its "stackmap": only its type and key size are given, so the
// loader sizes it; sized_stacks is sized by the object and keeps its sizes. The tracepoint program records the kernel stack of each getpgid() of target_tgid in it and
// keeps the last stack id (or the negative error) in last_id, and the user stack's in last_user_id; a second program sits on a tracepoint that x86_64
// does not have, for a tool to turn off before load.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 16 * sizeof(__u64));
	__uint(max_entries, 8);
} sized_stacks SEC(".maps");

// left without max_entries, as cpudist leaves its maps for the tool to size
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u64));
} sized_later SEC(".maps");

const volatile __u32 target_tgid = 0;
long last_id = -1;
long last_user_id = -1;
__u64 recorded = 0;

SEC("tracepoint/syscalls/sys_enter_getpgid")
int record_stack(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	last_id = bpf_get_stackid(ctx, &stacks, 0);
	last_user_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	bpf_get_stackid(ctx, &sized_stacks, 0);
	__u32 key = 0;
	__u64 one = 1;
	bpf_map_update_elem(&sized_later, &key, &one, BPF_ANY);
	__sync_fetch_and_add(&recorded, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sync_file_range2")
int on_sync_file_range2(void *ctx)
{
	__sync_fetch_and_add(&recorded, 1);
	return 0;
}
