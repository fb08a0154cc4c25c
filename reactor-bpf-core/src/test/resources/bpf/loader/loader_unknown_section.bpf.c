// A program in a section no loader knows how to load.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("frobnicate/now")
int mystery(void *ctx)
{
	return 0;
}
