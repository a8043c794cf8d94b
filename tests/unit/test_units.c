/* test_units.c - table-driven unit tests of the parsers and helpers. */
#include "tap.h"

int main(void)
{
	ok(1, "placeholder");
	return tap_done();
}
