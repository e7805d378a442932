#ifndef KEVLAR_UAPI_IF_H
#define KEVLAR_UAPI_IF_H

/* Network interface ioctls (linux/sockios.h, linux/if.h, linux/if_arp.h). */

#include <uapi/socket.h>

#define SIOCGIFNAME     0x8910
#define SIOCGIFCONF     0x8912
#define SIOCGIFFLAGS    0x8913
#define SIOCSIFFLAGS    0x8914
#define SIOCGIFADDR     0x8915
#define SIOCSIFADDR     0x8916
#define SIOCGIFDSTADDR  0x8917
#define SIOCGIFBRDADDR  0x8919
#define SIOCSIFBRDADDR  0x891a
#define SIOCGIFNETMASK  0x891b
#define SIOCSIFNETMASK  0x891c
#define SIOCGIFMETRIC   0x891d
#define SIOCGIFMTU      0x8921
#define SIOCSIFMTU      0x8922
#define SIOCGIFHWADDR   0x8927
#define SIOCGIFINDEX    0x8933
#define SIOCGIFTXQLEN   0x8942
#define SIOCGIFMAP      0x8970

#define IFF_UP          0x1
#define IFF_BROADCAST   0x2
#define IFF_LOOPBACK    0x8
#define IFF_RUNNING     0x40
#define IFF_LOWER_UP    0x10000

#define ARPHRD_LOOPBACK 772
#define IFNAMSIZ        16

/* struct ifreq: a name and a 24-byte union (the largest member is struct ifmap). */
struct ifreq_user {
	char ifr_name[IFNAMSIZ];
	union {
		struct sockaddr_user addr;
		int16_t flags;
		int32_t ivalue;         /* ifindex, metric, mtu, qlen */
		char raw[24];
	} u;
};

/* struct ifconf: 16 bytes on 64-bit (int length, padding, pointer). */
struct ifconf_user {
	int ifc_len;
	void *ifc_buf;
};

#endif
