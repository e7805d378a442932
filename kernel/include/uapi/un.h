#ifndef KEVLAR_UAPI_UN_H
#define KEVLAR_UAPI_UN_H

/* struct sockaddr_un (linux/un.h): family then up to 108 path bytes. */
#define UNIX_PATH_MAX   108

struct sockaddr_un_user {
	uint16_t sun_family;
	char sun_path[UNIX_PATH_MAX];
};

#endif
