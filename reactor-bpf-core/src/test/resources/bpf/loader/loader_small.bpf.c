// A small object for load/close cycles: one map, global data and a subprogram.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

const volatile __u64 step = 1;
__u64 total = 0;

static __noinline __u64 next(__u64 x)
{
	return x + step;
}

SEC("socket")
int count(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);
	if (v)
		*v = next(*v);
	total = next(total);
	return 0;
}
