/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-atomic-file.c: temporary file, fsync, rename. */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "limner-atomic-file.h"

#define BUFFER_SIZE (64 * 1024)

struct _LimnerAtomicFile
{
  char      *path;
  char      *temp_path;
  int        fd;          /* -1 once closed */
  guint8    *buffer;
  gsize      buffered;
  GChecksum *checksum;
  gint64     size;
  gboolean   used_api;    /* written through write() rather than the temp path */
  gboolean   committed;
  GError    *error;       /* the first write error, sticky */
  char      *sha256;
};

static void
set_errno_error (GError **error, int saved_errno, const char *format, const char *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               format, path, g_strerror (saved_errno));
}

LimnerAtomicFile *
limner_atomic_file_new (const char *path, GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmpl = NULL;
  LimnerAtomicFile *self;
  int fd;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      set_errno_error (error, errno, _("Could not create the folder %s: %s."), dir);
      return NULL;
    }

  /* A hidden name in the same directory: rename() must not cross file systems. */
  tmpl = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      set_errno_error (error, errno, _("Could not create a temporary file for %s: %s."), path);
      return NULL;
    }

  self = g_new0 (LimnerAtomicFile, 1);
  self->path = g_strdup (path);
  self->temp_path = g_steal_pointer (&tmpl);
  self->fd = fd;
  self->buffer = g_malloc (BUFFER_SIZE);
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  return self;
}

static gboolean
write_all (LimnerAtomicFile *self, const guint8 *data, gsize len)
{
  while (len > 0)
    {
      gssize n = write (self->fd, data, len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          set_errno_error (&self->error, errno, _("Could not write %s: %s."), self->path);
          return FALSE;
        }
      data += n;
      len -= n;
    }
  return TRUE;
}

static gboolean
flush_buffer (LimnerAtomicFile *self)
{
  gboolean ok = write_all (self, self->buffer, self->buffered);

  self->buffered = 0;
  return ok;
}

static gboolean
propagate_sticky (LimnerAtomicFile *self, GError **error)
{
  if (self->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }
  return TRUE;
}

gboolean
limner_atomic_file_write (LimnerAtomicFile  *self,
                          const void        *data,
                          gsize              len,
                          GError           **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->committed, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (self->error != NULL || self->fd < 0)
    {
      if (self->error == NULL)
        g_set_error (&self->error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                     _("Could not write %s: the file was already closed."), self->path);
      return propagate_sticky (self, error);
    }

  self->used_api = TRUE;
  g_checksum_update (self->checksum, data, len);
  self->size += len;

  if (self->buffered + len > BUFFER_SIZE)
    {
      if (!flush_buffer (self))
        return propagate_sticky (self, error);
      if (len >= BUFFER_SIZE)
        {
          write_all (self, data, len);
          return propagate_sticky (self, error);
        }
    }
  memcpy (self->buffer + self->buffered, data, len);
  self->buffered += len;
  return TRUE;
}

gboolean
limner_atomic_file_puts (LimnerAtomicFile *self, const char *str, GError **error)
{
  g_return_val_if_fail (str != NULL, FALSE);
  return limner_atomic_file_write (self, str, strlen (str), error);
}

gboolean
limner_atomic_file_printf (LimnerAtomicFile  *self,
                           GError           **error,
                           const char        *format,
                           ...)
{
  g_autofree char *str = NULL;
  va_list ap;
  int len;

  va_start (ap, format);
  len = g_vasprintf (&str, format, ap);
  va_end (ap);
  if (len < 0)
    return FALSE;
  return limner_atomic_file_write (self, str, len, error);
}

gboolean
limner_atomic_file_splice (LimnerAtomicFile  *self,
                           GInputStream      *stream,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_autofree guint8 *buf = g_malloc (BUFFER_SIZE);

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buf, BUFFER_SIZE, cancellable, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        return TRUE;
      if (!limner_atomic_file_write (self, buf, n, error))
        return FALSE;
    }
}

int
limner_atomic_file_jansson_callback (const char *buffer, size_t size, void *file)
{
  return limner_atomic_file_write (file, buffer, size, NULL) ? 0 : -1;
}

const char *
limner_atomic_file_get_temp_path (LimnerAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->temp_path;
}

const char *
limner_atomic_file_get_path (LimnerAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

/* For files written through the temporary path: hash what is there. */
static gboolean
hash_temp_file (LimnerAtomicFile *self, GError **error)
{
  g_autofree guint8 *buf = g_malloc (BUFFER_SIZE);
  int fd = g_open (self->temp_path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      set_errno_error (error, errno, _("Could not read %s: %s."), self->temp_path);
      return FALSE;
    }
  for (;;)
    {
      gssize n = read (fd, buf, BUFFER_SIZE);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, errno, _("Could not read %s: %s."), self->temp_path);
          close (fd);
          return FALSE;
        }
      if (n == 0)
        break;
      g_checksum_update (self->checksum, buf, n);
      self->size += n;
    }
  close (fd);
  return TRUE;
}

static void
fsync_dir (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  /* Best effort: some file systems refuse fsync on directories. */
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

gboolean
limner_atomic_file_commit (LimnerAtomicFile *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->committed, FALSE);

  if (self->fd < 0 && self->error == NULL)
    g_set_error (&self->error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                 _("Could not write %s: the file was already closed."), self->path);

  if (self->error == NULL)
    flush_buffer (self);

  if (self->error == NULL && fsync (self->fd) != 0)
    set_errno_error (&self->error, errno, _("Could not write %s to disk: %s."), self->path);

  if (self->fd >= 0)
    {
      if (close (self->fd) != 0 && self->error == NULL)
        set_errno_error (&self->error, errno, _("Could not write %s: %s."), self->path);
      self->fd = -1;
    }

  if (self->error == NULL && !self->used_api)
    {
      /* Written by someone else through the temporary path: make it durable too. */
      int fd = g_open (self->temp_path, O_RDONLY | O_CLOEXEC, 0);

      if (fd < 0 || fsync (fd) != 0)
        set_errno_error (&self->error, errno, _("Could not write %s to disk: %s."), self->path);
      if (fd >= 0)
        close (fd);
      if (self->error == NULL)
        hash_temp_file (self, &self->error);
    }

  if (self->error == NULL && g_rename (self->temp_path, self->path) != 0)
    set_errno_error (&self->error, errno, _("Could not move the new %s into place: %s."),
                     self->path);

  if (self->error != NULL)
    {
      limner_atomic_file_abort (self);
      return propagate_sticky (self, error);
    }

  fsync_dir (self->path);
  self->committed = TRUE;
  self->sha256 = g_strdup (g_checksum_get_string (self->checksum));
  return TRUE;
}

void
limner_atomic_file_abort (LimnerAtomicFile *self)
{
  g_return_if_fail (self != NULL);

  if (self->committed)
    return;
  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
  if (self->temp_path != NULL)
    {
      g_unlink (self->temp_path);
      g_clear_pointer (&self->temp_path, g_free);
    }
  if (self->error == NULL)
    g_set_error (&self->error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                 _("Writing %s was abandoned."), self->path);
}

void
limner_atomic_file_free (LimnerAtomicFile *self)
{
  if (self == NULL)
    return;
  limner_atomic_file_abort (self);
  g_free (self->path);
  g_free (self->temp_path);
  g_free (self->buffer);
  g_checksum_free (self->checksum);
  g_clear_error (&self->error);
  g_free (self->sha256);
  g_free (self);
}

const char *
limner_atomic_file_get_sha256 (LimnerAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->sha256;
}

gint64
limner_atomic_file_get_size (LimnerAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return self->committed ? self->size : -1;
}

gboolean
limner_atomic_file_set_contents (const char  *path,
                                 const void  *data,
                                 gsize        len,
                                 char       **sha256,
                                 GError     **error)
{
  g_autoptr(LimnerAtomicFile) file = limner_atomic_file_new (path, error);

  if (file == NULL)
    return FALSE;
  if (!limner_atomic_file_write (file, data, len, error)
      || !limner_atomic_file_commit (file, error))
    return FALSE;
  if (sha256 != NULL)
    *sha256 = g_strdup (file->sha256);
  return TRUE;
}
