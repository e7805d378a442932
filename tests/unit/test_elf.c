/*
 * ELF64 validation: a minimal valid executable is built here, then broken
 * in every way exec must refuse. Buffers are exact-size heap copies so
 * ASan catches any read outside them.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <kevlar/elf.h>
#include <kevlar/string.h>
#include <uapi/errno.h>

#define IMAGE_LEN   4096            /* bytes handed to elf_parse */
#define FILE_SIZE   0x6000ULL       /* the "file" is larger than the buffer */
#define NPHDR       5

static union {
	uint64_t align;
	unsigned char bytes[IMAGE_LEN];
} image;

static Elf64_Ehdr *eh(void)
{
	return (Elf64_Ehdr *)image.bytes;
}

static Elf64_Phdr *ph(int i)
{
	return (Elf64_Phdr *)(image.bytes + sizeof(Elf64_Ehdr)) + i;
}

/*
 * A static-PIE-like layout: PHDR, INTERP, text LOAD, data LOAD with bss,
 * GNU_STACK (non-executable).
 */
static int build_valid(void **state)
{
	(void)state;
	memset(&image, 0, sizeof(image));
	memcpy(eh()->e_ident, ELFMAG, SELFMAG);
	eh()->e_ident[EI_CLASS] = ELFCLASS64;
	eh()->e_ident[EI_DATA] = ELFDATA2LSB;
	eh()->e_ident[EI_VERSION] = EV_CURRENT;
	eh()->e_type = ET_EXEC;
	eh()->e_machine = EM_X86_64;
	eh()->e_version = EV_CURRENT;
	eh()->e_entry = 0x401000;
	eh()->e_phoff = sizeof(Elf64_Ehdr);
	eh()->e_ehsize = sizeof(Elf64_Ehdr);
	eh()->e_phentsize = sizeof(Elf64_Phdr);
	eh()->e_phnum = NPHDR;

	*ph(0) = (Elf64_Phdr){ .p_type = PT_PHDR, .p_flags = PF_R, .p_offset = 64,
			       .p_vaddr = 0x400040, .p_filesz = NPHDR * 56,
			       .p_memsz = NPHDR * 56, .p_align = 8 };
	*ph(1) = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = 0x200,
			       .p_vaddr = 0x400200, .p_filesz = 28, .p_memsz = 28,
			       .p_align = 1 };
	*ph(2) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
			       .p_vaddr = 0x400000, .p_filesz = 0x2000,
			       .p_memsz = 0x2000, .p_align = 0x1000 };
	*ph(3) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
			       .p_offset = 0x2e10, .p_vaddr = 0x403e10,
			       .p_filesz = 0x300, .p_memsz = 0x5000, .p_align = 0x1000 };
	*ph(4) = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W };
	memcpy(image.bytes + 0x200, "/lib64/ld-linux-x86-64.so.2", 28);
	return 0;
}

static int parse_copy(size_t len, uint64_t file_size, uint16_t machine,
		      struct elf_info *info)
{
	void *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, image.bytes, len);
	ret = elf_parse(copy, len, file_size, machine, info);
	free(copy);
	return ret;
}

static int parse(void)
{
	struct elf_info info;

	return parse_copy(IMAGE_LEN, FILE_SIZE, EM_X86_64, &info);
}

static void test_valid_executable_is_described(void **state)
{
	struct elf_info info;
	(void)state;

	assert_int_equal(elf_parse(image.bytes, IMAGE_LEN, FILE_SIZE, EM_X86_64, &info), 0);
	assert_int_equal(info.type, ET_EXEC);
	assert_int_equal(info.entry, 0x401000);
	assert_int_equal(info.phoff, 64);
	assert_int_equal(info.phnum, NPHDR);
	assert_ptr_equal(info.phdrs, ph(0));
	assert_true(info.has_interp);
	assert_int_equal(info.interp_offset, 0x200);
	assert_int_equal(info.interp_size, 28);
	assert_int_equal(info.min_vaddr, 0x400000);
	assert_int_equal(info.max_vaddr, 0x409000);   /* 0x403e10 + 0x5000, rounded up */
	assert_false(info.exec_stack);
}

static void test_static_pie_and_exec_stack_and_arm64(void **state)
{
	struct elf_info info;
	(void)state;

	eh()->e_type = ET_DYN;
	eh()->e_machine = EM_AARCH64;
	ph(1)->p_type = PT_NOTE;                       /* no interpreter */
	ph(4)->p_flags |= PF_X;
	ph(2)->p_vaddr = 0;
	ph(3)->p_vaddr = 0x3e10;
	assert_int_equal(elf_parse(image.bytes, IMAGE_LEN, FILE_SIZE, EM_AARCH64, &info), 0);
	assert_int_equal(info.type, ET_DYN);
	assert_false(info.has_interp);
	assert_int_equal(info.interp_size, 0);
	assert_true(info.exec_stack);
	assert_int_equal(info.min_vaddr, 0);
	assert_int_equal(info.max_vaddr, 0x9000);
	assert_int_equal(elf_parse(image.bytes, IMAGE_LEN, FILE_SIZE, EM_X86_64, &info),
			 -ENOEXEC);
}

static void test_bad_identification_is_enoexec(void **state)
{
	(void)state;
	image.bytes[1] = 'e';
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	eh()->e_ident[EI_CLASS] = ELFCLASS32;
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	eh()->e_ident[EI_DATA] = ELFDATA2MSB;
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	eh()->e_ident[EI_VERSION] = 2;
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	eh()->e_version = 0;
	assert_int_equal(parse(), -ENOEXEC);
}

static void test_wrong_machine_or_type_is_enoexec(void **state)
{
	(void)state;
	eh()->e_machine = EM_AARCH64;
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	eh()->e_type = ET_REL;
	assert_int_equal(parse(), -ENOEXEC);
	eh()->e_type = ET_CORE;
	assert_int_equal(parse(), -ENOEXEC);
}

static void test_bad_phdr_table_is_enoexec(void **state)
{
	struct elf_info info;
	(void)state;

	eh()->e_phentsize = 32;
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	eh()->e_phnum = 0;
	assert_int_equal(parse(), -ENOEXEC);
	eh()->e_phnum = 65;
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	eh()->e_phoff = IMAGE_LEN - 56;                /* runs past the buffer */
	assert_int_equal(parse(), -ENOEXEC);
	eh()->e_phoff = UINT64_MAX - 8;                /* offset + size overflows */
	assert_int_equal(parse(), -ENOEXEC);
	eh()->e_phoff = 68;                            /* misaligned */
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	/* Header fits but the table does not fit the bytes provided. */
	assert_int_equal(parse_copy(64 + 56 * 2, FILE_SIZE, EM_X86_64, &info), -ENOEXEC);
	/* Buffer bigger than the file it claims to be. */
	assert_int_equal(parse_copy(IMAGE_LEN, 100, EM_X86_64, &info), -ENOEXEC);
	assert_int_equal(elf_parse(NULL, 0, 0, EM_X86_64, &info), -ENOEXEC);
}

static void test_truncated_buffer_at_every_length_is_enoexec(void **state)
{
	struct elf_info info;
	size_t needed = 64 + NPHDR * 56;
	(void)state;

	for (size_t len = 0; len < needed; len++)
		assert_int_equal(parse_copy(len, FILE_SIZE, EM_X86_64, &info), -ENOEXEC);
	assert_int_equal(parse_copy(needed, FILE_SIZE, EM_X86_64, &info), 0);
}

static void test_bad_load_segments_are_enoexec(void **state)
{
	(void)state;
	ph(3)->p_filesz = 0x5001;                      /* filesz > memsz */
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	ph(3)->p_offset = FILE_SIZE - 0x100;           /* data past end of file */
	ph(3)->p_vaddr = 0x403000 + (ph(3)->p_offset & 0xfff);
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	ph(3)->p_offset = UINT64_MAX - 0x10;           /* offset + filesz overflows */
	ph(3)->p_align = 1;
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	ph(2)->p_vaddr = 0xffffffff80000000ULL;        /* kernel half */
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	ph(3)->p_vaddr = ELF_USER_LIMIT - 0x1000 + 0xe10;  /* ends past the user half */
	assert_int_equal(parse(), -ENOEXEC);
	ph(3)->p_memsz = UINT64_MAX;                   /* vaddr + memsz overflows */
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	ph(2)->p_align = 0x1800;                       /* not a power of two */
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	ph(3)->p_vaddr += 8;                           /* vaddr/offset disagree mod page */
	assert_int_equal(parse(), -ENOEXEC);
	ph(3)->p_align = 8;                            /* ...allowed when align < page */
	assert_int_equal(parse(), 0);
}

static void test_segment_ending_exactly_at_user_limit_is_fine(void **state)
{
	struct elf_info info;
	(void)state;

	ph(3)->p_vaddr = ELF_USER_LIMIT - 0x5000 - 0x1000 + 0xe10;
	ph(3)->p_memsz = 0x5000 + 0x1000 - 0xe10;
	assert_int_equal(elf_parse(image.bytes, IMAGE_LEN, FILE_SIZE, EM_X86_64, &info), 0);
	assert_int_equal(info.max_vaddr, ELF_USER_LIMIT);
}

static void test_bad_interpreter_is_enoexec(void **state)
{
	(void)state;
	ph(4)->p_type = PT_INTERP;                     /* two INTERPs */
	ph(4)->p_offset = 0x200;
	ph(4)->p_filesz = 28;
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	ph(1)->p_filesz = 1;
	assert_int_equal(parse(), -ENOEXEC);
	ph(1)->p_filesz = 4097;
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	ph(1)->p_offset = FILE_SIZE - 10;
	assert_int_equal(parse(), -ENOEXEC);
	ph(1)->p_offset = UINT64_MAX - 4;
	assert_int_equal(parse(), -ENOEXEC);
}

static void test_no_load_segment_is_enoexec(void **state)
{
	(void)state;
	ph(2)->p_type = PT_NOTE;
	ph(3)->p_type = PT_NULL;
	assert_int_equal(parse(), -ENOEXEC);
	build_valid(NULL);
	ph(2)->p_memsz = ph(2)->p_filesz = 0;
	ph(3)->p_memsz = ph(3)->p_filesz = 0;
	assert_int_equal(parse(), -ENOEXEC);
}

/*
 * Flip every byte of the headers, one at a time, with several patterns.
 * The result must be 0 or -ENOEXEC, never a crash or an out-of-bounds read.
 */
static void test_every_header_byte_flip_is_handled(void **state)
{
	static const unsigned char patterns[] = { 0xff, 0x80, 0x01, 0x7f };
	size_t span = 64 + NPHDR * 56;
	int accepted = 0, refused = 0;
	(void)state;

	for (size_t pos = 0; pos < span; pos++) {
		for (size_t k = 0; k < ARRAY_SIZE(patterns); k++) {
			struct elf_info info;
			int ret;

			build_valid(NULL);
			image.bytes[pos] ^= patterns[k];
			ret = parse_copy(span, FILE_SIZE, EM_X86_64, &info);
			assert_true(ret == 0 || ret == -ENOEXEC);
			if (ret == 0) {
				accepted++;
				assert_true(info.max_vaddr <= ELF_USER_LIMIT);
				assert_true(info.min_vaddr < info.max_vaddr);
			} else {
				refused++;
			}
		}
	}
	assert_true(accepted > 0);
	assert_true(refused > 0);
}

static void test_random_headers_never_crash(void **state)
{
	(void)state;
	srand(4242);
	for (int round = 0; round < 20000; round++) {
		build_valid(NULL);
		for (int k = 0; k < 4; k++)
			image.bytes[rand() % (64 + NPHDR * 56)] = (unsigned char)rand();
		int ret = parse_copy(64 + NPHDR * 56, FILE_SIZE, EM_X86_64,
				     &(struct elf_info){ 0 });
		assert_true(ret == 0 || ret == -ENOEXEC);
	}
}

#define T(fn) cmocka_unit_test_setup(fn, build_valid)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_valid_executable_is_described),
		T(test_static_pie_and_exec_stack_and_arm64),
		T(test_bad_identification_is_enoexec),
		T(test_wrong_machine_or_type_is_enoexec),
		T(test_bad_phdr_table_is_enoexec),
		T(test_truncated_buffer_at_every_length_is_enoexec),
		T(test_bad_load_segments_are_enoexec),
		T(test_segment_ending_exactly_at_user_limit_is_fine),
		T(test_bad_interpreter_is_enoexec),
		T(test_no_load_segment_is_enoexec),
		T(test_every_header_byte_flip_is_handled),
		T(test_random_headers_never_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
