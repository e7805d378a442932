#include <kevlar/init.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>

void kernel_init(void *unused)
{
	(void)unused;
	pr_info("init: not yet\n");
	task_exit(0);
}
