#ifndef KEVLAR_UAPI_SOCKET_H
#define KEVLAR_UAPI_SOCKET_H

/* Socket ABI (linux/socket.h, asm-generic/socket.h, bits/socket.h). */

#include <kevlar/types.h>

#define AF_UNSPEC       0
#define AF_UNIX         1
#define AF_INET         2
#define AF_INET6        10
#define AF_NETLINK      16
#define AF_PACKET       17

#define SOCK_STREAM     1
#define SOCK_DGRAM      2
#define SOCK_RAW        3
#define SOCK_SEQPACKET  5
#define SOCK_TYPE_MASK  0xf
/* socket() and socketpair() take these in the type argument. */
#define SOCK_NONBLOCK   00004000
#define SOCK_CLOEXEC    02000000

#define MSG_PEEK        0x2
#define MSG_CTRUNC      0x8
#define MSG_TRUNC       0x20
#define MSG_DONTWAIT    0x40
#define MSG_WAITALL     0x100
#define MSG_NOSIGNAL    0x4000
#define MSG_CMSG_CLOEXEC 0x40000000

#define SHUT_RD         0
#define SHUT_WR         1
#define SHUT_RDWR       2

#define SOL_SOCKET      1
#define SO_REUSEADDR    2
#define SO_TYPE         3
#define SO_ERROR        4
#define SO_BROADCAST    6
#define SO_SNDBUF       7
#define SO_RCVBUF       8
#define SO_KEEPALIVE    9
#define SO_PASSCRED     16
#define SO_PEERCRED     17
#define SO_BINDTODEVICE 25
#define SO_ACCEPTCONN   30
#define SO_PROTOCOL     38
#define SO_DOMAIN       39

struct sockaddr_user {
	uint16_t sa_family;
	char sa_data[14];
};

/* The largest address any family here uses (sockaddr_un). */
#define SOCKADDR_MAX    110

/* struct msghdr on 64-bit Linux: 56 bytes. */
struct msghdr_user {
	void *msg_name;
	int msg_namelen;
	void *msg_iov;              /* struct iovec * */
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	int msg_flags;
};

/* Control messages (linux/socket.h): a 16-byte header, data aligned to 8. */
struct cmsghdr_user {
	size_t cmsg_len;            /* header plus data, not the padding */
	int cmsg_level;
	int cmsg_type;
};
#define CMSG_ALIGN_USER(len)    (((len) + sizeof(long) - 1) & ~(sizeof(long) - 1))
#define SCM_RIGHTS      1
#define SCM_CREDENTIALS 2

/* SO_PEERCRED */
struct ucred_user {
	int32_t pid;
	uint32_t uid, gid;
};

#endif
