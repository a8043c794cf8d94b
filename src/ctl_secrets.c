/* ctl_secrets.c - confabctl secrets encrypt|rotate|keygen: the key that
 * seals the stored secrets (secret_key_file, secretbox.c) and re-sealing
 * every secret under it (store_secrets.c). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confabctl.h"
#include "secretbox.h"
#include "store_secrets.h"
#include "xalloc.h"

/* Seals the stored secrets that are still plaintext under the current key. */
int cmd_secrets_encrypt(struct ctl *c)
{
	ctl_need_key(c);
	ctl_open(c);
	const struct secretbox_key *k = secretbox_process_key();
	struct secret_counts n;
	char err[512];
	if (store_secrets_reseal(c->db, k, k, &n, err, sizeof err) != CF_OK)
		ctl_die(1, "secrets encrypt: nothing changed: %s", err);
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "encrypted", json_object_new_int64((int64_t)n.sealed));
		json_object_object_add(obj, "unchanged", json_object_new_int64((int64_t)n.unchanged));
		json_object_object_add(obj, "key_id", json_object_new_string(k->id));
		ctl_print_json(obj);
	} else {
		printf("encrypted %lu secrets (%lu already encrypted) under key %s\n", n.sealed, n.unchanged, k->id);
	}
	return 0;
}

/* Rotation: the new key file takes the place of secret_key_file (the old
 * one stays as FILE.old), then every secret is sealed again under it in one
 * transaction. Running confabd processes read the swapped file when they
 * meet a value of the new key and keep the old key for values not yet
 * re-sealed, so no request fails on the way. */
int cmd_secrets_rotate(struct ctl *c)
{
	const char *fresh = ctl_required(c, "new-key-file");
	const char *path = c->cfg.secret_key_file;
	ctl_need_key(c);
	struct secretbox_key old = *secretbox_process_key(), next;
	char err[512];
	if (secretbox_key_load(fresh, &next, err, sizeof err) != CF_OK)
		ctl_die(1, "%s", err);
	if (strcmp(next.id, old.id) == 0)
		ctl_die(1, "%s holds the current key already", fresh);
	ctl_open(c);
	struct stat cur, fst, bst;
	char *backup = xasprintf("%s.old", path);
	if (stat(path, &cur) != 0)
		ctl_die(1, "%s: %s", path, strerror(errno));
	if (stat(fresh, &fst) != 0)
		ctl_die(1, "%s: %s", fresh, strerror(errno));
	/* FILE.old is replaced below: rotating back to it takes a copy */
	if (stat(backup, &bst) == 0 && bst.st_dev == fst.st_dev && bst.st_ino == fst.st_ino)
		ctl_die(2, "%s is the file that keeps the old key; rotate with a copy of it", fresh);
	/* confabd must be able to read the new file as it reads the old one */
	if (chown(fresh, cur.st_uid, cur.st_gid) != 0)
		ctl_die(1, "%s: cannot give it the owner of %s: %s", fresh, path, strerror(errno));
	if ((unlink(backup) != 0 && errno != ENOENT) || link(path, backup) != 0)
		ctl_die(1, "%s: cannot keep the old key: %s", backup, strerror(errno));
	if (rename(fresh, path) != 0)
		ctl_die(1, "cannot move %s to %s: %s", fresh, path, strerror(errno));
	struct secret_counts n;
	if (store_secrets_reseal(c->db, &old, &next, &n, err, sizeof err) != CF_OK) {
		if (rename(backup, path) != 0)
			ctl_die(1, "secrets rotate: %s; and the old key could not be put back: mv %s %s", err, backup, path);
		ctl_die(1, "secrets rotate: nothing changed, the old key is back in place: %s", err);
	}
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "resealed", json_object_new_int64((int64_t)n.sealed));
		json_object_object_add(obj, "old_key_id", json_object_new_string(old.id));
		json_object_object_add(obj, "key_id", json_object_new_string(next.id));
		json_object_object_add(obj, "old_key_file", json_object_new_string(backup));
		ctl_print_json(obj);
	} else {
		printf("re-encrypted %lu secrets under key %s (was %s); the old key is in %s\n", n.sealed, next.id, old.id,
		       backup);
	}
	secretbox_key_wipe(&old);
	secretbox_key_wipe(&next);
	free(backup);
	return 0;
}

/* A new key file (mode 0600; it must not exist). */
int cmd_secrets_keygen(struct ctl *c)
{
	const char *file = c->o.args[0];
	char err[512];
	if (secretbox_key_generate(file, err, sizeof err) != CF_OK)
		ctl_die(1, "secrets keygen: %s", err);
	struct secretbox_key k;
	if (secretbox_key_load(file, &k, err, sizeof err) != CF_OK)
		ctl_die(1, "secrets keygen: %s", err);
	if (c->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "key_id", json_object_new_string(k.id));
		ctl_print_json(obj);
	} else {
		puts(k.id);
	}
	secretbox_key_wipe(&k);
	return 0;
}
