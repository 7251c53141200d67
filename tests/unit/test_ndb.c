/* test_ndb.c - placeholder. */
int main(void)
{
	return 0;
}
