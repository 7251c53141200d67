/* main.c - the canhgac program: option parsing common to all commands and the command table. */
#include <stdio.h>
#include <string.h>

#include "canhgac/error.h"
#include "banned.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("canhgac %s\n", CG_VERSION);
		return 0;
	}
	fprintf(stderr, "%s\n", cg_tr("canhgac: thiếu lệnh", "canhgac: missing command"));
	return 2;
}
