#ifndef KEVLAR_UAPI_TERMIOS_H
#define KEVLAR_UAPI_TERMIOS_H

/*
 * Terminal ABI as user space sees it through ioctl(2): struct termios as
 * TCGETS/TCSETS copy it, struct winsize, the c_cc indices, the flag bits
 * and the tty ioctl numbers.
 *
 * Transcribed from the asm-generic termbits, termbits-common, termios and
 * ioctls UAPI headers. x86_64 and arm64 both use the asm-generic versions
 * unchanged (their asm/termbits.h and asm/ioctls.h only include them, and
 * Debian's x86_64 and arm64-cross copies are identical), so nothing here
 * needs an #ifdef per architecture. Other architectures (powerpc, mips,
 * sparc, alpha) differ and would need their own numbers.
 *
 * The ioctl numbers shared with uapi/ioctls.h are spelled identically so
 * both headers may be included in one file (C allows an identical
 * redefinition of a macro).
 */

typedef unsigned char cc_t;
typedef unsigned int  speed_t;
typedef unsigned int  tcflag_t;

/*
 * This is the kernel's layout, not glibc's: glibc's struct termios has 32
 * c_cc slots plus speed fields and translates in tcgetattr(). TCGETS and
 * TCSETS copy exactly these 36 bytes.
 */
#define NCCS 19
struct termios {
	tcflag_t c_iflag;
	tcflag_t c_oflag;
	tcflag_t c_cflag;
	tcflag_t c_lflag;
	cc_t     c_line;        /* line discipline number; N_TTY is 0 */
	cc_t     c_cc[NCCS];
};

/* TCGETS2/TCSETS2 add explicit speeds for BOTHER (arbitrary baud). */
struct termios2 {
	tcflag_t c_iflag;
	tcflag_t c_oflag;
	tcflag_t c_cflag;
	tcflag_t c_lflag;
	cc_t     c_line;
	cc_t     c_cc[NCCS];
	speed_t  c_ispeed;
	speed_t  c_ospeed;
};

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

#define N_TTY 0

/* A c_cc slot holding this value is disabled (Linux uses NUL). */
#define _POSIX_VDISABLE '\0'

/* c_cc indices */
#define VINTR       0
#define VQUIT       1
#define VERASE      2
#define VKILL       3
#define VEOF        4
#define VTIME       5
#define VMIN        6
#define VSWTC       7
#define VSTART      8
#define VSTOP       9
#define VSUSP       10
#define VEOL        11
#define VREPRINT    12
#define VDISCARD    13
#define VWERASE     14
#define VLNEXT      15
#define VEOL2       16

/* c_iflag bits */
#define IGNBRK      0x001
#define BRKINT      0x002
#define IGNPAR      0x004
#define PARMRK      0x008
#define INPCK       0x010
#define ISTRIP      0x020
#define INLCR       0x040
#define IGNCR       0x080
#define ICRNL       0x100
#define IUCLC       0x0200
#define IXON        0x0400
#define IXANY       0x800
#define IXOFF       0x1000
#define IMAXBEL     0x2000
#define IUTF8       0x4000

/* c_oflag bits */
#define OPOST       0x01
#define OLCUC       0x00002
#define ONLCR       0x00004
#define OCRNL       0x08
#define ONOCR       0x10
#define ONLRET      0x20
#define OFILL       0x40
#define OFDEL       0x80
#define NLDLY       0x00100
#define   NL0       0x00000
#define   NL1       0x00100
#define CRDLY       0x00600
#define   CR0       0x00000
#define   CR1       0x00200
#define   CR2       0x00400
#define   CR3       0x00600
#define TABDLY      0x01800
#define   TAB0      0x00000
#define   TAB1      0x00800
#define   TAB2      0x01000
#define   TAB3      0x01800
#define   XTABS     0x01800
#define BSDLY       0x02000
#define   BS0       0x00000
#define   BS1       0x02000
#define VTDLY       0x04000
#define   VT0       0x00000
#define   VT1       0x04000
#define FFDLY       0x08000
#define   FF0       0x00000
#define   FF1       0x08000

/* c_cflag bits */
#define CBAUD       0x0000100f
#define CSIZE       0x00000030
#define   CS5       0x00000000
#define   CS6       0x00000010
#define   CS7       0x00000020
#define   CS8       0x00000030
#define CSTOPB      0x00000040
#define CREAD       0x00000080
#define PARENB      0x00000100
#define PARODD      0x00000200
#define HUPCL       0x00000400
#define CLOCAL      0x00000800
#define CBAUDEX     0x00001000
#define BOTHER      0x00001000
#define CIBAUD      0x100f0000  /* input speed, CBAUD shifted by IBSHIFT */
#define ADDRB       0x20000000
#define CMSPAR      0x40000000
#define CRTSCTS     0x80000000
#define IBSHIFT     16

/* baud rates, values of (c_cflag & CBAUD) */
#define B0          0x00000000  /* hang up */
#define B50         0x00000001
#define B75         0x00000002
#define B110        0x00000003
#define B134        0x00000004
#define B150        0x00000005
#define B200        0x00000006
#define B300        0x00000007
#define B600        0x00000008
#define B1200       0x00000009
#define B1800       0x0000000a
#define B2400       0x0000000b
#define B4800       0x0000000c
#define B9600       0x0000000d
#define B19200      0x0000000e
#define B38400      0x0000000f
#define EXTA        B19200
#define EXTB        B38400
#define B57600      0x00001001
#define B115200     0x00001002
#define B230400     0x00001003
#define B460800     0x00001004
#define B500000     0x00001005
#define B576000     0x00001006
#define B921600     0x00001007
#define B1000000    0x00001008
#define B1152000    0x00001009
#define B1500000    0x0000100a
#define B2000000    0x0000100b
#define B2500000    0x0000100c
#define B3000000    0x0000100d
#define B3500000    0x0000100e
#define B4000000    0x0000100f

/* c_lflag bits */
#define ISIG        0x00001
#define ICANON      0x00002
#define XCASE       0x00004
#define ECHO        0x00008
#define ECHOE       0x00010
#define ECHOK       0x00020
#define ECHONL      0x00040
#define NOFLSH      0x00080
#define TOSTOP      0x00100
#define ECHOCTL     0x00200
#define ECHOPRT     0x00400
#define ECHOKE      0x00800
#define FLUSHO      0x01000
#define PENDIN      0x04000
#define IEXTEN      0x08000
#define EXTPROC     0x10000

/* tcsetattr() optional_actions; libc maps them onto TCSETS/TCSETSW/TCSETSF */
#define TCSANOW     0
#define TCSADRAIN   1
#define TCSAFLUSH   2

/* TCXONC argument (tcflow) */
#define TCOOFF      0
#define TCOON       1
#define TCIOFF      2
#define TCION       3

/* TCFLSH argument (tcflush) */
#define TCIFLUSH    0
#define TCOFLUSH    1
#define TCIOFLUSH   2

/* TIOCMGET/TIOCMSET/TIOCMBIS/TIOCMBIC modem line bits */
#define TIOCM_LE    0x001
#define TIOCM_DTR   0x002
#define TIOCM_RTS   0x004
#define TIOCM_ST    0x008
#define TIOCM_SR    0x010
#define TIOCM_CTS   0x020
#define TIOCM_CAR   0x040
#define TIOCM_RNG   0x080
#define TIOCM_DSR   0x100
#define TIOCM_CD    TIOCM_CAR
#define TIOCM_RI    TIOCM_RNG
#define TIOCM_OUT1  0x2000
#define TIOCM_OUT2  0x4000
#define TIOCM_LOOP  0x8000

/*
 * tty ioctl numbers. Most predate the _IOC() encoding and are bare 'T'
 * (0x54) numbers; the few newer ones are _IOR/_IOW encoded, written out
 * here: direction in bits 30-31 (1 = write, 2 = read), argument size in
 * bits 16-29, 'T' in bits 8-15, number in bits 0-7.
 */
#define TCGETS      0x5401
#define TCSETS      0x5402
#define TCSETSW     0x5403
#define TCSETSF     0x5404
#define TCGETA      0x5405
#define TCSETA      0x5406
#define TCSETAW     0x5407
#define TCSETAF     0x5408
#define TCSBRK      0x5409
#define TCXONC      0x540A
#define TCFLSH      0x540B
#define TIOCEXCL    0x540C
#define TIOCNXCL    0x540D
#define TIOCSCTTY   0x540E
#define TIOCGPGRP   0x540F
#define TIOCSPGRP   0x5410
#define TIOCOUTQ    0x5411
#define TIOCSTI     0x5412
#define TIOCGWINSZ  0x5413
#define TIOCSWINSZ  0x5414
#define TIOCMGET    0x5415
#define TIOCMBIS    0x5416
#define TIOCMBIC    0x5417
#define TIOCMSET    0x5418
#define TIOCGSOFTCAR 0x5419
#define TIOCSSOFTCAR 0x541A
#define FIONREAD    0x541B
#define TIOCINQ     FIONREAD
#define TIOCLINUX   0x541C
#define TIOCCONS    0x541D
#define TIOCGSERIAL 0x541E
#define TIOCSSERIAL 0x541F
#define TIOCPKT     0x5420
#define FIONBIO     0x5421
#define TIOCNOTTY   0x5422
#define TIOCSETD    0x5423
#define TIOCGETD    0x5424
#define TCSBRKP     0x5425
#define TIOCSBRK    0x5427
#define TIOCCBRK    0x5428
#define TIOCGSID    0x5429
#define TCGETS2     0x802C542AU   /* _IOR('T', 0x2A, struct termios2) */
#define TCSETS2     0x402C542BU   /* _IOW('T', 0x2B, struct termios2) */
#define TCSETSW2    0x402C542CU   /* _IOW('T', 0x2C, struct termios2) */
#define TCSETSF2    0x402C542DU   /* _IOW('T', 0x2D, struct termios2) */
#define TIOCGPTN    0x80045430U   /* _IOR('T', 0x30, unsigned int) */
#define TIOCSPTLCK  0x40045431U   /* _IOW('T', 0x31, int) */
#define TIOCGDEV    0x80045432U   /* _IOR('T', 0x32, unsigned int) */
#define TIOCSIG     0x40045436U   /* _IOW('T', 0x36, int) */
#define TIOCGPTLCK  0x80045439U   /* _IOR('T', 0x39, int) */
#define TIOCGPTPEER 0x5441        /* _IO('T', 0x41) */
#define TIOCVHANGUP 0x5437
#define TIOCGPKT    0x80045438U   /* _IOR('T', 0x38, int) */
#define TIOCGPTLCK  0x80045439U   /* _IOR('T', 0x39, int) */
#define TIOCGEXCL   0x80045440U   /* _IOR('T', 0x40, int) */
#define TIOCGPTPEER 0x5441        /* _IO('T', 0x41) */
#define FIONCLEX    0x5450
#define FIOCLEX     0x5451
#define FIOASYNC    0x5452
#define FIOQSIZE    0x5460

/* TIOCPKT packet-mode status bytes */
#define TIOCPKT_DATA        0
#define TIOCPKT_FLUSHREAD   1
#define TIOCPKT_FLUSHWRITE  2
#define TIOCPKT_STOP        4
#define TIOCPKT_START       8
#define TIOCPKT_NOSTOP      16
#define TIOCPKT_DOSTOP      32
#define TIOCPKT_IOCTL       64

#endif
