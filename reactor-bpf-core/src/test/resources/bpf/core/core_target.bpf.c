// CO-RE test target: the types of core_local.bpf.c as a different "kernel" lays them out. Only its .BTF is
// used. Fields are reordered and resized, core_sample.removed is gone, the anonymous union moved into an
// anonymous struct, bitfields moved and widened, and CORE_RETIRED is renamed CORE_DRAINED.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

enum core_state { CORE_DRAINED = 7, CORE_RUNNING = 5, CORE_IDLE = 9 };

struct core_inner {
	long long b;
	int a;
	int added;
};

struct core_sample {
	long long added_first;
	struct core_sample *next;
	unsigned int flags;
	int id;
	struct {
		int extra;
		union {
			unsigned int word;
			unsigned char bytes[4];
		};
	};
	int values[8];
	struct core_inner inner;
	unsigned int pad : 5;
	unsigned int low : 3;
	int mid : 12;
	unsigned int high : 10;
	enum core_state state;
	int level;
};

struct core_sample target_sample;
enum core_state target_state;

char LICENSE[] SEC("license") = "GPL";
