/* logs_test.h - `canhgac logs test` (fail2ban filter files over a log), for the command table. */
#ifndef CANHGAC_LOGS_TEST_H
#define CANHGAC_LOGS_TEST_H

/* argv[0] is the command name; returns an exit code (0 none, 1 addresses reached maxretry,
 * 2 error). */
int cg_logs_test(int argc, char **argv);

#endif
