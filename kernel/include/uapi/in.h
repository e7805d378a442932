#ifndef KEVLAR_UAPI_IN_H
#define KEVLAR_UAPI_IN_H

/* struct sockaddr_in (linux/in.h); port and address in network byte order. */
struct sockaddr_in_user {
	uint16_t sin_family;
	uint16_t sin_port;
	uint32_t sin_addr;
	uint8_t sin_zero[8];
};

#define IPPROTO_IP      0
#define IPPROTO_TCP     6
#define IPPROTO_UDP     17

#endif
