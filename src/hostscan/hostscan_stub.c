/* hostscan_stub.c - keeps the hostscan library non-empty while modules are added. */
int cg_hostscan_present(void);
int cg_hostscan_present(void)
{
	return 1;
}
