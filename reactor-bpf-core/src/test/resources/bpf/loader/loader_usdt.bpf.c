// USDT programs in libbpf's style (bpf/usdt.bpf.h, BPF_USDT): at each hit of the probe on_tick records its three
// arguments, bpf_usdt_cookie() and bpf_usdt_arg_cnt() in the next slot of "hits", for the process in target_tgid.
// on_tick_by_address finds the spec as usdt.bpf.h does on a kernel without BPF cookies, by the site's address in
// __bpf_usdt_ip_to_spec_id, and records its cookie and argument count (-1 when the address has no spec).
// The spec table holds two specs, so that a test can fill it.
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#define BPF_USDT_MAX_SPEC_CNT 2
#include <bpf/usdt.bpf.h>

char LICENSE[] SEC("license") = "GPL";

#define HITS 16

struct hit {
	long a;
	long b;
	long c;
	long cookie;
	long arg_cnt;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, HITS);
	__type(key, __u32);
	__type(value, struct hit);
} hits SEC(".maps");

const volatile __u32 target_tgid = 0;
// the probed process is single-threaded, so the slot index needs no atomic
__u32 next_hit = 0;

/* The next slot of "hits" for a hit of the target process, or NULL. */
static __always_inline struct hit *next_slot(void)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return NULL;
	__u32 i = next_hit;
	struct hit *h = bpf_map_lookup_elem(&hits, &i);
	if (h)
		next_hit = i + 1;
	return h;
}

SEC("usdt")
int BPF_USDT(on_tick, long a, long b, long c)
{
	struct hit *h = next_slot();
	if (!h)
		return 0;
	h->a = a;
	h->b = b;
	h->c = c;
	h->cookie = bpf_usdt_cookie(ctx);
	h->arg_cnt = bpf_usdt_arg_cnt(ctx);
	return 0;
}

SEC("usdt")
int on_tick_by_address(struct pt_regs *ctx)
{
	struct hit *h = next_slot();
	if (!h)
		return 0;
	long ip = PT_REGS_IP(ctx);
	__u32 *id = bpf_map_lookup_elem(&__bpf_usdt_ip_to_spec_id, &ip);
	struct __bpf_usdt_spec *spec = id ? bpf_map_lookup_elem(&__bpf_usdt_specs, id) : 0;
	h->cookie = spec ? (long)spec->usdt_cookie : -1;
	h->arg_cnt = spec ? spec->arg_cnt : -1;
	return 0;
}
