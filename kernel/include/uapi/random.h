#ifndef KEVLAR_UAPI_RANDOM_H
#define KEVLAR_UAPI_RANDOM_H

/* getrandom(2) flags (linux/random.h). */
#define GRND_NONBLOCK   0x0001
#define GRND_RANDOM     0x0002
#define GRND_INSECURE   0x0004

#endif
