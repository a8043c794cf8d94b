/* confabd.c - entry point of the FastCGI server: parse the command line,
 * load the config, hand over to the master. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "master.h"
#include "secretbox.h"
#include "xalloc.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: confabd [-c FILE] [-t]\n"
	             "  -c FILE  configuration file (default $CONFAB_CONFIG or " CONFAB_DEFAULT_CONFIG ")\n"
	             "  -t       check the configuration and exit\n");
}

int main(int argc, char **argv)
{
	const char *path = getenv("CONFAB_CONFIG");
	if (path == NULL || *path == '\0')
		path = CONFAB_DEFAULT_CONFIG;
	int test_only = 0;
	int opt;
	while ((opt = getopt(argc, argv, "c:th")) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 't':
			test_only = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	struct config *cfg = xmalloc(sizeof *cfg);
	config_defaults(cfg);
	char err[512];
	if (config_load(cfg, path, err, sizeof err) != CF_OK) {
		fprintf(stderr, "confabd: %s\n", err);
		config_free(cfg);
		free(cfg);
		return 1;
	}
	/* The key that opens stored secrets: read before any fork, and a bad
	 * file (missing, wrong size, readable by group or others) stops here. */
	if (secretbox_init(cfg->secret_key_file, err, sizeof err) != CF_OK) {
		fprintf(stderr, "confabd: %s\n", err);
		config_free(cfg);
		free(cfg);
		return 1;
	}
	if (test_only) {
		printf("confabd: %s: configuration ok\n", path);
		config_free(cfg);
		free(cfg);
		return 0;
	}
	log_set_level((enum log_level)cfg->log_level);
	return master_run(path, cfg);
}
