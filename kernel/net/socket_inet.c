/*
 * AF_INET sockets, without a network stack yet: they exist so programs
 * can configure interfaces through them (ifconfig's SIOC* ioctls on a
 * datagram socket), and every attempt to move data fails the way an
 * unreachable network does. The one interface is the loopback, "lo",
 * which starts down and without an address, as on Linux.
 */
#include <kevlar/format.h>
#include <kevlar/sched.h>
#include <kevlar/socket.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/if.h>
#include <uapi/in.h>
#include <uapi/poll.h>

static struct netif {
	const char *name;
	int index;
	unsigned flags;             /* IFF_* */
	uint32_t addr, netmask;     /* network byte order */
	int mtu, txqlen, metric;
} lo = { "lo", 1, IFF_LOOPBACK, 0, 0, 65536, 1000, 0 };

static void set_sockaddr(struct sockaddr_user *sa, uint32_t addr)
{
	struct sockaddr_in_user *sin = (struct sockaddr_in_user *)sa;

	memset(sa, 0, sizeof(*sa));
	sin->sin_family = AF_INET;
	sin->sin_addr = addr;
}

static uint32_t get_sockaddr(const struct sockaddr_user *sa)
{
	return ((const struct sockaddr_in_user *)sa)->sin_addr;
}

/* SIOCGIFCONF: one ifreq per interface with an address, as Linux lists them. */
static long ifconf(void *uarg)
{
	struct ifconf_user ifc;
	struct ifreq_user req;
	int len = 0;

	if (copy_from_user(&ifc, uarg, sizeof(ifc)))
		return -EFAULT;
	if (lo.addr) {
		if (ifc.ifc_buf && ifc.ifc_len >= (int)sizeof(req)) {
			memset(&req, 0, sizeof(req));
			strlcpy(req.ifr_name, lo.name, sizeof(req.ifr_name));
			set_sockaddr(&req.u.addr, lo.addr);
			if (copy_to_user(ifc.ifc_buf, &req, sizeof(req)))
				return -EFAULT;
		}
		len = sizeof(req);
	}
	ifc.ifc_len = len;
	return copy_to_user(uarg, &ifc, sizeof(ifc)) ? -EFAULT : 0;
}

static long inet_ioctl(struct socket *s, unsigned cmd, unsigned long arg)
{
	void *uarg = (void *)arg;
	struct ifreq_user req;
	bool set = false;

	(void)s;
	if (cmd == SIOCGIFCONF)
		return ifconf(uarg);
	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (cmd == SIOCGIFNAME) {
		if (req.u.ivalue != lo.index)
			return -ENODEV;
		strlcpy(req.ifr_name, lo.name, sizeof(req.ifr_name));
		return copy_to_user(uarg, &req, sizeof(req)) ? -EFAULT : 0;
	}
	req.ifr_name[IFNAMSIZ - 1] = '\0';
	if (strcmp(req.ifr_name, lo.name))
		return -ENODEV;
	switch (cmd) {
	case SIOCGIFFLAGS:
		req.u.flags = lo.flags | ((lo.flags & IFF_UP) ? IFF_RUNNING | IFF_LOWER_UP : 0);
		break;
	case SIOCGIFADDR:
	case SIOCGIFDSTADDR:
	case SIOCGIFBRDADDR:
	case SIOCGIFNETMASK:
		if (!lo.addr)
			return -EADDRNOTAVAIL;
		set_sockaddr(&req.u.addr, cmd == SIOCGIFNETMASK ? lo.netmask :
				  cmd == SIOCGIFBRDADDR ? 0 : lo.addr);
		break;
	case SIOCGIFMTU: req.u.ivalue = lo.mtu; break;
	case SIOCGIFMETRIC: req.u.ivalue = lo.metric; break;
	case SIOCGIFINDEX: req.u.ivalue = lo.index; break;
	case SIOCGIFTXQLEN: req.u.ivalue = lo.txqlen; break;
	case SIOCGIFHWADDR:
		memset(&req.u.addr, 0, sizeof(req.u.addr));
		req.u.addr.sa_family = ARPHRD_LOOPBACK;
		break;
	case SIOCGIFMAP:
		memset(req.u.raw, 0, sizeof(req.u.raw));
		break;
	case SIOCSIFFLAGS:
	case SIOCSIFADDR:
	case SIOCSIFNETMASK:
	case SIOCSIFBRDADDR:
	case SIOCSIFMTU:
		set = true;
		break;
	default:
		return -ENOTTY;
	}
	if (!set)
		return copy_to_user(uarg, &req, sizeof(req)) ? -EFAULT : 0;
	if (current_task()->cred.euid != 0)
		return -EPERM;
	switch (cmd) {
	case SIOCSIFFLAGS:
		lo.flags = (req.u.flags & IFF_UP) | IFF_LOOPBACK;
		break;
	case SIOCSIFADDR:
		lo.addr = get_sockaddr(&req.u.addr);
		/* Linux derives the classful netmask; 127/8 for the loopback. */
		if (!lo.netmask)
			lo.netmask = 0x000000ff;
		break;
	case SIOCSIFNETMASK:
		lo.netmask = get_sockaddr(&req.u.addr);
		break;
	case SIOCSIFMTU:
		if (req.u.ivalue < 68)
			return -EINVAL;
		lo.mtu = req.u.ivalue;
		break;
	}
	return 0;
}

static int inet_bind(struct socket *s, const char *addr, int len)
{
	(void)s;
	if (len < (int)sizeof(struct sockaddr_in_user))
		return -EINVAL;
	return ((const struct sockaddr_user *)addr)->sa_family == AF_INET ? 0 : -EAFNOSUPPORT;
}

static int inet_connect(struct socket *s, const char *addr, int len, bool nonblock)
{
	(void)s;
	(void)addr;
	(void)len;
	(void)nonblock;
	return -ENETUNREACH;
}

static ssize_t inet_send(struct socket *s, struct sock_msg *m)
{
	(void)s;
	(void)m;
	return -ENETUNREACH;
}

static ssize_t inet_recv(struct socket *s, struct sock_msg *m)
{
	(void)s;
	(void)m;
	return -EAGAIN;     /* nothing ever arrives */
}

static int inet_getname(struct socket *s, char *addr, int *len, bool peer)
{
	(void)s;
	if (peer)
		return -ENOTCONN;
	memset(addr, 0, sizeof(struct sockaddr_in_user));
	((struct sockaddr_user *)addr)->sa_family = AF_INET;
	*len = sizeof(struct sockaddr_in_user);
	return 0;
}

static unsigned inet_poll(struct socket *s, struct file *f, struct poll_table *pt)
{
	(void)s;
	(void)f;
	(void)pt;
	return POLLOUT | POLLWRNORM;
}

static const struct socket_ops inet_ops = {
	.bind = inet_bind,
	.connect = inet_connect,
	.send = inet_send,
	.recv = inet_recv,
	.getname = inet_getname,
	.poll = inet_poll,
	.ioctl = inet_ioctl,
};

int inet_socket_create(struct socket *s)
{
	if (s->type != SOCK_DGRAM && s->type != SOCK_STREAM && s->type != SOCK_RAW)
		return -ESOCKTNOSUPPORT;
	if (s->type == SOCK_RAW && current_task()->cred.euid != 0)
		return -EPERM;
	s->ops = &inet_ops;
	return 0;
}

/* /proc/net/dev: the interface list ifconfig reads (no traffic is counted). */
size_t inet_show_net_dev(char *buf, size_t size)
{
	return ksnprintf(buf, size,
			 "Inter-|   Receive                            "
			 "                    |  Transmit\n"
			 " face |bytes    packets errs drop fifo frame compressed multicast"
			 "|bytes    packets errs drop fifo colls carrier compressed\n"
			 "%6s: %7d %7d %4d %4d %4d %5d %10d %9d %8d %7d %4d %4d %4d %5d %7d %10d\n",
			 lo.name, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
