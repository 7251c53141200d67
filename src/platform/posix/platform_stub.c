/* platform_stub.c - keeps the platform library non-empty while modules are added. */
int cg_platform_present(void);
int cg_platform_present(void)
{
	return 1;
}
