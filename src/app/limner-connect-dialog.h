/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-connect-dialog.h: "Connect to a Team Project": the address of a
 * project in a PostgreSQL database, as fields (server or socket folder,
 * port, database, user, password) or as a pasted postgresql:// URI, each
 * kept in step with the other.
 *
 * Connect opens the project on a worker thread with a spinner, so the
 * window never waits for the network. It fails with a heading that says
 * which of these it is: the server cannot be reached, the login was
 * refused, the database holds no Limner project, or the user holds no
 * Limner role there (LimnerConnectError). On success the dialog emits
 * "connected" with the open store and the address without its password,
 * and closes. The password goes only into that connection's address: it is
 * never shown in the URI field, remembered or logged.
 */
#pragma once

#include <adwaita.h>

#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_CONNECT_ERROR (limner_connect_error_quark ())

typedef enum {
  LIMNER_CONNECT_ERROR_UNREACHABLE,   /* no server answers at the address */
  LIMNER_CONNECT_ERROR_LOGIN,         /* the server answers but refused the login or database */
  LIMNER_CONNECT_ERROR_NOT_A_PROJECT, /* the database holds no Limner project */
  LIMNER_CONNECT_ERROR_NO_ROLE,       /* the user holds no Limner role in it */
  LIMNER_CONNECT_ERROR_FAILED,        /* anything else (a newer schema, ...) */
} LimnerConnectError;

GQuark limner_connect_error_quark (void);

#define LIMNER_TYPE_CONNECT_DIALOG (limner_connect_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LimnerConnectDialog, limner_connect_dialog, LIMNER, CONNECT_DIALOG, AdwWindow)

LimnerConnectDialog *limner_connect_dialog_new        (GtkWindow           *parent);
/* Fills the fields from `uri`; a password in it goes to the password field.
 * An invalid URI is left in the URI field with its problem shown. */
void                 limner_connect_dialog_set_uri    (LimnerConnectDialog *self,
                                                       const char          *uri);
/* The address as the fields stand, without the password; NULL while there
 * is a problem. */
const char          *limner_connect_dialog_get_uri    (LimnerConnectDialog *self);
/* Why Connect is unavailable (one sentence naming the field), or NULL. */
const char          *limner_connect_dialog_get_problem (LimnerConnectDialog *self);
/* What the Connect button does. FALSE (and nothing happens) while there is
 * a problem or a connection is under way. */
gboolean             limner_connect_dialog_connect    (LimnerConnectDialog *self);
gboolean             limner_connect_dialog_get_connecting (LimnerConnectDialog *self);
/* Why the last connection failed (LIMNER_CONNECT_ERROR), or NULL. */
const GError        *limner_connect_dialog_get_error  (LimnerConnectDialog *self);
/* The heading shown above that error ("Server Unreachable"...). */
const char          *limner_connect_dialog_get_error_heading (LimnerConnectDialog *self);

G_END_DECLS
