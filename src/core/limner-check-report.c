/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-check-report.c: the problems an integrity check found. */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-check-report.h"

static void
problem_free (LimnerCheckProblem *problem)
{
  g_free (problem->item);
  g_free (problem->message);
  g_free (problem);
}

LimnerCheckReport *
limner_check_report_new (void)
{
  LimnerCheckReport *report = g_new0 (LimnerCheckReport, 1);

  report->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  return report;
}

void
limner_check_report_free (LimnerCheckReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->problems);
  g_free (report);
}

static void
add_problem_valist (LimnerCheckReport      *report,
                    LimnerCheckProblemKind  kind,
                    const char             *item,
                    const char             *format,
                    va_list                 ap)
{
  LimnerCheckProblem *problem = g_new0 (LimnerCheckProblem, 1);

  problem->kind = kind;
  problem->item = g_strdup (item);
  problem->message = g_strdup_vprintf (format, ap);
  g_ptr_array_add (report->problems, problem);
}

void
limner_check_report_add_problem (LimnerCheckReport      *report,
                                 LimnerCheckProblemKind  kind,
                                 const char             *item,
                                 const char             *format,
                                 ...)
{
  va_list ap;

  g_return_if_fail (report != NULL);
  g_return_if_fail (format != NULL);

  va_start (ap, format);
  add_problem_valist (report, kind, item, format, ap);
  va_end (ap);
}

void
limner_check_report_add (LimnerCheckReport *report, const char *format, ...)
{
  va_list ap;

  g_return_if_fail (report != NULL);
  g_return_if_fail (format != NULL);

  va_start (ap, format);
  add_problem_valist (report, LIMNER_CHECK_PROBLEM_DATABASE, NULL, format, ap);
  va_end (ap);
}

gboolean
limner_check_report_ok (const LimnerCheckReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);
  return report->problems->len == 0;
}

const char *
limner_check_report_get_message (const LimnerCheckReport *report,
                                 guint                    index)
{
  const LimnerCheckProblem *problem;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (index < report->problems->len, NULL);

  problem = g_ptr_array_index (report->problems, index);
  return problem->message;
}

const char *
limner_check_problem_kind_to_string (LimnerCheckProblemKind kind)
{
  switch (kind)
    {
    case LIMNER_CHECK_PROBLEM_DATABASE:
      return "database";
    case LIMNER_CHECK_PROBLEM_IMAGE:
      return "image";
    case LIMNER_CHECK_PROBLEM_VERSION:
      return "version";
    case LIMNER_CHECK_PROBLEM_EXPORT_FILE:
      return "export-file";
    case LIMNER_CHECK_PROBLEM_STRAY_FILE:
      return "stray-file";
    case LIMNER_CHECK_PROBLEM_PARSE:
      return "parse";
    case LIMNER_CHECK_PROBLEM_REEXPORT:
      return "reexport";
    default:
      g_return_val_if_reached ("unknown");
    }
}

char *
limner_check_report_format_problems (const LimnerCheckReport *report,
                                     const char              *where)
{
  GString *s;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (where != NULL, NULL);

  s = g_string_new (NULL);
  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%u problem in %s:\n",
                                          "%u problems in %s:\n", report->problems->len),
                          report->problems->len, where);
  for (guint i = 0; i < report->problems->len; i++)
    g_string_append_printf (s, "  • %s\n", limner_check_report_get_message (report, i));
  return g_string_free (s, FALSE);
}
