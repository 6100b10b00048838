/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "limner-core"

#include "config.h"

#include <glib/gi18n.h>
#include <sys/vfs.h>

#include "limner-fs.h"

/* Magic numbers from linux/magic.h and the file systems' sources, spelled
 * out so the list does not depend on which kernel headers are installed. */
static const struct {
  gint64      magic;
  const char *name;
} network_types[] = {
  { 0x6969,     "NFS" },
  { 0x517B,     "SMB" },
  { 0xFE534D42, "SMB2" },
  { 0xFF534D42, "CIFS" },
  { 0x564C,     "NCP" },
  { 0x5346414F, "AFS" },
  { 0x6B414653, "AFS" },
  { 0x65735546, "FUSE" },   /* sshfs and friends: not always remote, often so */
  { 0x01021997, "9P" },
  { 0x00C36400, "CephFS" },
  { 0x47504653, "GPFS" },
  { 0x0BD00BD0, "Lustre" },
  { 0x013111A8, "IBRIX" },
  { 0x19830326, "FhGFS" },
  { 0x73757245, "Coda" },
};

const char *
limner_fs_network_type_name (gint64 f_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (network_types); i++)
    if ((gint64) (guint32) f_type == network_types[i].magic)
      return network_types[i].name;
  return NULL;
}

const char *
limner_fs_network_type (const char *path)
{
  struct statfs st;

  g_return_val_if_fail (path != NULL, NULL);

  if (statfs (path, &st) != 0)
    return NULL;
  return limner_fs_network_type_name ((gint64) st.f_type);
}

char *
limner_fs_dup_network_warning (const char *dir)
{
  const char *type = limner_fs_network_type (dir);

  if (type == NULL)
    return NULL;
  /* TRANSLATORS: %s is a file system type such as NFS or SMB. */
  return g_strdup_printf (_("This project is on a network file system (%s). Use it from one "
                            "computer at a time: SQLite cannot keep two computers that write "
                            "to it at once from corrupting it."), type);
}
