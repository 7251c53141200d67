/* test_yarars.c - placeholder. */
int main(void)
{
	return 0;
}
