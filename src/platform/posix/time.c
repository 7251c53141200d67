/* time.c - the wall clock for the platform layer. */
#include <stdint.h>
#include <time.h>

#include "canhgac/timeutil.h"
#include "banned.h"

int64_t cg_time_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
