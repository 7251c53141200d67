/* cmd_web_stub.c - `canhgac web` on builds without the website checks (Windows for now: the
 * fetching part needs libcurl; WinHTTP later). */
#include "cli.h"
#include "banned.h"

int cg_cmd_web(struct cg_cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	cg_cli_err("%s",
	           cg_tr("lệnh 'web' chưa có trên Windows; hãy chạy trên máy Linux",
	                 "the 'web' command is not available on Windows yet; run it on Linux"));
	return CG_EXIT_ERROR;
}
