// Maps of every shape the loader parses, global data in .rodata/.data/.bss, static and global
// subprograms called from several programs, and a bpf_loop callback (a PSEUDO_FUNC reference).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} per_cpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 5000);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} loader_pinned SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

const volatile __u32 target_pid = 0;
const volatile __u64 multiplier = 1;
const volatile char tag[8] = "none";
__u64 getpgid_hits = 0;
__u64 getppid_hits = 0;
__u64 xdp_result = 0;
__u64 socket_result = 0;
__u32 data_counter = 7;

static __noinline __u64 add_one(__u64 x)
{
	return x + 1;
}

__noinline __u64 scaled(__u64 x)
{
	return x * multiplier;
}

static long sum_cb(__u32 index, void *ctx)
{
	*(__u64 *)ctx += index;
	return 0;
}

static __always_inline int mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_pid;
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int on_getpgid(void *ctx)
{
	if (!mine())
		return 0;
	__u32 key = 1;
	__u64 one = 1, *v = bpf_map_lookup_elem(&calls, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&calls, &key, &one, BPF_NOEXIST);
	__u32 slot = 0;
	__u64 *c = bpf_map_lookup_elem(&per_cpu, &slot);
	if (c)
		*c += 1;
	__sync_fetch_and_add(&getpgid_hits, scaled(add_one(0)));
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	if (!mine())
		return 0;
	__sync_fetch_and_add(&getppid_hits, add_one(scaled(2)));
	data_counter++;
	return 0;
}

SEC("xdp")
int xdp_calc(struct xdp_md *ctx)
{
	__u64 sum = 0;
	bpf_loop(5, sum_cb, &sum, 0);
	xdp_result = scaled(add_one(sum));
	return XDP_PASS;
}

SEC("socket")
int socket_calc(struct __sk_buff *skb)
{
	socket_result = add_one(scaled(10));
	return 0;
}

SEC("?xdp")
int not_autoloaded(struct xdp_md *ctx)
{
	return XDP_DROP;
}
