#ifndef KEVLAR_UAPI_IOCTLS_H
#define KEVLAR_UAPI_IOCTLS_H

/* Terminal ioctls (asm-generic/ioctls.h; x86_64 and arm64 agree). */
#define TCGETS      0x5401
#define TCSETS      0x5402
#define TCSETSW     0x5403
#define TCSETSF     0x5404
#define TIOCSCTTY   0x540E
#define TIOCGPGRP   0x540F
#define TIOCSPGRP   0x5410
#define TIOCGWINSZ  0x5413
#define TIOCSWINSZ  0x5414

#endif
