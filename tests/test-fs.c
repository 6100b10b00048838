/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-fs.c: telling network file systems from local ones. */
#include "config.h"

#include <glib/gstdio.h>

#include "limner-fs.h"

static void
test_magic_numbers (void)
{
  g_assert_cmpstr (limner_fs_network_type_name (0x6969), ==, "NFS");
  g_assert_cmpstr (limner_fs_network_type_name (0xFF534D42), ==, "CIFS");
  g_assert_cmpstr (limner_fs_network_type_name (0xFE534D42), ==, "SMB2");
  /* f_type is signed on some ABIs: a negative value is the same magic. */
  g_assert_cmpstr (limner_fs_network_type_name ((gint32) 0xFF534D42), ==, "CIFS");
  g_assert_null (limner_fs_network_type_name (0xEF53));     /* ext4 */
  g_assert_null (limner_fs_network_type_name (0x01021994)); /* tmpfs */
  g_assert_null (limner_fs_network_type_name (0x58465342)); /* xfs */
}

static void
test_local_paths (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("limner-fs-XXXXXX", NULL);

  g_assert_nonnull (tmp);
  g_assert_null (limner_fs_network_type (tmp));
  g_assert_null (limner_fs_dup_network_warning (tmp));
  g_assert_null (limner_fs_network_type ("/nonexistent/limner"));
  g_rmdir (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/fs/magic-numbers", test_magic_numbers);
  g_test_add_func ("/core/fs/local-paths", test_local_paths);
  return g_test_run ();
}
