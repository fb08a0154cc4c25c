/* The event layout the BTF value decoder is tested against; shared by shapes.bpf.c (which puts it in BTF)
 * and the gcc probe the tests compile (which lays out sample bytes the way C does). */
#ifndef REACTOR_BPF_VALUE_SHAPES_H
#define REACTOR_BPF_VALUE_SHAPES_H

typedef unsigned char u8;
typedef signed char s8;
typedef unsigned short u16;
typedef short s16;
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef long long s64;
typedef u32 pid_type;

enum event_kind { KIND_OPEN = 1, KIND_CLOSE = 2, KIND_EXEC = 100 };

struct event_addr {
	u16 port;
	u8 family;
	u8 flags;
	u32 ip;
};

union event_arg {
	u64 as_u64;
	s32 as_s32;
	u8 bytes[8];
};

struct event {
	u8 u8_val;
	s8 s8_val;
	u16 u16_val;
	s16 s16_val;
	u32 u32_val;
	s32 s32_val;
	u64 u64_val;
	s64 s64_val;
	_Bool flag;
	char letter;
	unsigned int low : 3;
	int mid : 7;
	unsigned int high : 22;
	enum event_kind kind;
	pid_type pid;
	char comm[16];
	int counts[3];
	struct event_addr addr;
	union event_arg arg;
	const char *where;
	float ratio_f;
	double ratio;
	const volatile u32 qualified;
	struct {
		u16 inner_a;
		u16 inner_b;
	};
	u16 tail_len;
	char tail[];
};

#endif
