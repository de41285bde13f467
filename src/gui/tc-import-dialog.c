/* tc-import-dialog.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-import-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tc-contact-io.h"
#include "tc-gui-util.h"
#include "tc-import-dialog.h"
#include "tc-phone.h"
#include "tc-repository.h"
#include "tc-window.h"

#define PREVIEW_ROWS       5
#define SAMPLE_VALUES      3
#define MAX_REJECTED_SHOWN 200

struct _TcImportDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkButton            *cancel_button;
  GtkButton            *import_button;
  GtkButton            *done_button;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  AdwStatusPage        *error_page;
  GtkScrolledWindow    *mapping_scroll;
  GtkWidget            *no_phone_box;
  AdwComboRow          *region_row;
  AdwPreferencesGroup  *columns_group;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;
  AdwStatusPage        *report_page;
  AdwPreferencesGroup  *rejected_group;
  GtkListBox           *rejected_list;

  TcRepository         *repository;
  GSettings            *settings;
  GFile                *file;
  TcCsvPreview         *preview;
  TcImportReport       *report;
  /* One dropdown per column, and the rows holding them. */
  GPtrArray            *column_dropdowns;
  GPtrArray            *column_rows;
  /* Region codes parallel to the region row's entries ("" for none). */
  GPtrArray            *region_codes;

  /* Alive for as long as an import runs: the importer reads them. */
  TcContactField       *fields;
  char                 *region;

  GCancellable         *cancellable;
  GCancellable         *import_cancellable;
  GtkFileChooserNative *chooser;

  guint                 importing : 1;
  guint                 close_when_done : 1;
};

G_DEFINE_FINAL_TYPE (TcImportDialog, tc_import_dialog, ADW_TYPE_WINDOW)

/* The fields offered for a column, in the order shown. */
static const struct {
  TcContactField  field;
  const char     *name;
} field_choices[] = {
  { TC_FIELD_PHONE, N_("Phone") },
  { TC_FIELD_FIRST_NAME, N_("First name") },
  { TC_FIELD_LAST_NAME, N_("Last name") },
  { TC_FIELD_FULL_NAME, N_("Full name") },
  { TC_FIELD_EMAIL, N_("Email") },
  { TC_FIELD_LANGUAGE, N_("Language") },
  { TC_FIELD_COUNTRY, N_("Country") },
  { TC_FIELD_TAGS, N_("Tags") },
  { TC_FIELD_ATTRIBUTE, N_("Custom attribute") },
  { TC_FIELD_IGNORE, N_("Ignore") },
};

static guint
field_to_choice (TcContactField field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_choices); i++)
    if (field_choices[i].field == field)
      return i;

  return G_N_ELEMENTS (field_choices) - 1;
}

static TcContactField
choice_to_field (guint choice)
{
  if (choice >= G_N_ELEMENTS (field_choices))
    return TC_FIELD_IGNORE;

  return field_choices[choice].field;
}

static void
show_page (TcImportDialog *self,
           const char     *name)
{
  gboolean mapping = g_str_equal (name, "mapping");
  gboolean report = g_str_equal (name, "report");

  gtk_spinner_set_spinning (self->spinner, g_str_equal (name, "loading"));
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), mapping);
  gtk_widget_set_visible (GTK_WIDGET (self->done_button), report);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), !report);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), TRUE);
  /* Where there is nothing left to cancel, the button just closes. */
  gtk_button_set_label (self->cancel_button,
                        g_str_equal (name, "error") ? _("_Close") : _("_Cancel"));
  gtk_stack_set_visible_child_name (self->stack, name);

  /* The window title follows the state, for screen readers and for the
   * window list (and the GUI test waits on it); the report sets its own. */
  if (g_str_equal (name, "loading"))
    gtk_window_set_title (GTK_WINDOW (self), _("Reading File…"));
  else if (g_str_equal (name, "progress"))
    gtk_window_set_title (GTK_WINDOW (self), _("Importing Contacts…"));
  else if (!report)
    gtk_window_set_title (GTK_WINDOW (self), _("Import Contacts"));

  if (mapping)
    {
      gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->import_button));
      gtk_widget_grab_focus (GTK_WIDGET (self->import_button));
    }
  else if (report)
    {
      gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->done_button));
      gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
    }
  else
    gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
}

static void
show_error (TcImportDialog *self,
            const GError   *error)
{
  g_autofree char *text = tc_gui_describe_error (error);

  adw_status_page_set_description (self->error_page, text);
  show_page (self, "error");
}

static gboolean
has_phone_column (TcImportDialog *self)
{
  for (guint i = 0; i < self->column_dropdowns->len; i++)
    {
      GtkDropDown *dropdown = g_ptr_array_index (self->column_dropdowns, i);

      if (choice_to_field (gtk_drop_down_get_selected (dropdown)) == TC_FIELD_PHONE)
        return TRUE;
    }

  return FALSE;
}

static void
update_import_button (TcImportDialog *self)
{
  gboolean ok = has_phone_column (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), ok);
  gtk_widget_set_visible (self->no_phone_box, !ok);
}

static void
on_column_dropdown_selected_changed_cb (GtkDropDown    *dropdown,
                                        GParamSpec     *pspec,
                                        TcImportDialog *self)
{
  update_import_button (self);
}

static void
clear_columns (TcImportDialog *self)
{
  for (guint i = 0; i < self->column_rows->len; i++)
    adw_preferences_group_remove (self->columns_group, g_ptr_array_index (self->column_rows, i));

  g_ptr_array_set_size (self->column_rows, 0);
  g_ptr_array_set_size (self->column_dropdowns, 0);
}

static char *
sample_values (TcCsvPreview *preview,
               guint         column)
{
  GString *str = g_string_new (NULL);
  guint n = 0;

  for (guint r = 0; r < preview->rows->len && n < SAMPLE_VALUES; r++)
    {
      char **row = g_ptr_array_index (preview->rows, r);
      const char *value = NULL;

      if (row != NULL && column < g_strv_length (row))
        value = row[column];
      if (value == NULL || value[0] == '\0')
        continue;

      if (n > 0)
        g_string_append (str, "  ·  ");
      g_string_append (str, value);
      n++;
    }

  if (n == 0)
    g_string_append (str, _("(empty in the first rows)"));

  return g_string_free (str, FALSE);
}

static void
build_columns (TcImportDialog *self)
{
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);

  clear_columns (self);

  for (guint i = 0; i < G_N_ELEMENTS (field_choices); i++)
    gtk_string_list_append (choices, _(field_choices[i].name));

  for (guint c = 0; c < self->preview->n_columns; c++)
    {
      const char *header = self->preview->headers[c];
      g_autofree char *title = NULL;
      g_autofree char *samples = sample_values (self->preview, c);
      GtkWidget *row;
      GtkWidget *dropdown;

      if (header == NULL || header[0] == '\0')
        title = g_strdup_printf (_("Column %u"), c + 1);
      else
        title = g_strdup (header);

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), samples);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);

      dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (choices)), NULL);
      gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
      /* One width for all, so the column of choices lines up. */
      gtk_widget_set_size_request (dropdown, 190, -1);
      gtk_widget_add_css_class (dropdown, "field-choice");
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown),
                                  field_to_choice (self->preview->fields[c]));
      gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                      -1);
      gtk_widget_set_tooltip_text (dropdown, _("What this column holds"));
      g_signal_connect_object (dropdown, "notify::selected",
                               G_CALLBACK (on_column_dropdown_selected_changed_cb),
                               self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), dropdown);

      adw_preferences_group_add (self->columns_group, row);
      g_ptr_array_add (self->column_rows, row);
      g_ptr_array_add (self->column_dropdowns, dropdown);
    }

  update_import_button (self);
}

static void
on_preview_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TcImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  TcCsvPreview *preview;

  preview = tc_csv_preview_load_finish (result, &error);
  if (preview == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      tc_csv_preview_free (preview);
      return;
    }

  g_clear_pointer (&self->preview, tc_csv_preview_free);
  self->preview = preview;

  build_columns (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->mapping_scroll), 0);
  show_page (self, "mapping");
}

static void
choose_region (TcImportDialog *self)
{
  g_autofree char *region = NULL;

  if (self->settings != NULL)
    region = g_settings_get_string (self->settings, "default-region");
  if (region == NULL || region[0] == '\0')
    {
      g_free (region);
      region = tc_gui_guess_region ();
    }

  adw_combo_row_set_selected (self->region_row, 0);
  if (region == NULL)
    return;

  for (guint i = 0; i < self->region_codes->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->region_codes, i), region) == 0)
      {
        adw_combo_row_set_selected (self->region_row, i);
        return;
      }

  /* A region outside the short list: offer it too rather than guessing
   * another one. */
  if (tc_phone_region_is_valid (region))
    {
      GtkStringList *names = GTK_STRING_LIST (adw_combo_row_get_model (self->region_row));

      gtk_string_list_append (names, tc_gui_country_name (region));
      g_ptr_array_add (self->region_codes, g_ascii_strup (region, -1));
      adw_combo_row_set_selected (self->region_row, self->region_codes->len - 1);
    }
}

static void
on_import_progress_cb (double   fraction,
                       guint    rows_done,
                       gpointer user_data)
{
  TcImportDialog *self = user_data;
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  /* A last report may arrive after the dialog was destroyed. */
  if (!self->importing || g_cancellable_is_cancelled (self->cancellable))
    return;

  number = tc_gui_format_number (rows_done);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row read", "%s rows read", rows_done),
                          number);
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
  gtk_label_set_label (self->progress_label, text);
}

static void
show_report (TcImportDialog       *self,
             const TcImportReport *report)
{
  g_autofree char *imported = tc_gui_format_number (report->imported);
  g_autofree char *updated = tc_gui_format_number (report->updated);
  g_autofree char *rejected = tc_gui_format_number (report->rejected);
  g_autofree char *summary = NULL;
  GtkWidget *child;
  guint n_errors = report->errors ? report->errors->len : 0;

  /* Translators: "1,204 imported, 37 updated, 5 rejected" */
  summary = g_strdup_printf (_("%s imported, %s updated, %s rejected"), imported, updated, rejected);
  adw_status_page_set_description (self->report_page, summary);

  if (report->imported + report->updated == 0)
    {
      adw_status_page_set_icon_name (self->report_page, "dialog-warning-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->report_page), "import-success");
      adw_status_page_set_title (self->report_page, _("Nothing Was Imported"));
      gtk_window_set_title (GTK_WINDOW (self), _("Nothing Was Imported"));
    }
  else
    {
      adw_status_page_set_icon_name (self->report_page, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->report_page), "import-success");
      adw_status_page_set_title (self->report_page, _("Import Finished"));
      gtk_window_set_title (GTK_WINDOW (self), _("Import Finished"));
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rejected_list))) != NULL)
    gtk_list_box_remove (self->rejected_list, child);

  for (guint i = 0; i < n_errors && i < MAX_REJECTED_SHOWN; i++)
    {
      const TcImportIssue *issue = g_ptr_array_index (report->errors, i);
      g_autofree char *title = NULL;
      GtkWidget *row = adw_action_row_new ();

      if (issue->value != NULL && issue->value[0] != '\0')
        /* Translators: "Line 7: “12345”" */
        title = g_strdup_printf (_("Line %u: “%s”"), issue->line, issue->value);
      else
        title = g_strdup_printf (_("Line %u: no phone number"), issue->line);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), issue->reason ? issue->reason : "");
      gtk_list_box_append (self->rejected_list, row);
    }

  if (n_errors > MAX_REJECTED_SHOWN)
    {
      g_autofree char *more = tc_gui_format_number (n_errors - MAX_REJECTED_SHOWN);
      g_autofree char *title = g_strdup_printf (_("And %s more rows"), more);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Run “textcast-cli contacts import FILE --json” for the full list."));
      gtk_list_box_append (self->rejected_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->rejected_group), n_errors > 0);
  show_page (self, "report");
}

static void
append_csv_field (GString    *csv,
                  const char *value)
{
  if (value == NULL)
    return;

  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (csv, value);
      return;
    }

  g_string_append_c (csv, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static GBytes *
rejected_rows_to_csv (const TcImportReport *report)
{
  GString *csv = g_string_new ("line,value,reason\r\n");

  for (guint i = 0; report->errors != NULL && i < report->errors->len; i++)
    {
      const TcImportIssue *issue = g_ptr_array_index (report->errors, i);

      g_string_append_printf (csv, "%u,", issue->line);
      append_csv_field (csv, issue->value);
      g_string_append_c (csv, ',');
      append_csv_field (csv, issue->reason);
      g_string_append (csv, "\r\n");
    }

  return g_string_free_to_bytes (csv);
}

static void
on_report_saved_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TcImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *text = NULL;
      GtkWidget *dialog;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_cancellable_is_cancelled (self->cancellable))
        return;

      text = tc_gui_describe_error (error);
      dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Could Not Save the List"), text);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (TC_IS_WINDOW (parent))
    tc_window_add_toast (TC_WINDOW (parent), _("Saved the list of rejected rows"));
}

static void
on_save_chooser_response_cb (GtkNativeDialog *dialog,
                             int              response,
                             TcImportDialog  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);

  if (file == NULL || self->report == NULL)
    return;

  bytes = rejected_rows_to_csv (self->report);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable,
                                       on_report_saved_cb,
                                       g_object_ref (self));
}

static void
on_save_report_button_clicked_cb (GtkButton      *button,
                                  TcImportDialog *self)
{
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GFile) folder = NULL;
  char *dot;

  if (self->chooser != NULL || self->report == NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Save Rejected Rows"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  /* "customers.csv" → "customers-rejected.csv", next to the file. */
  basename = g_file_get_basename (self->file);
  dot = strrchr (basename, '.');
  if (dot != NULL && dot != basename)
    *dot = '\0';
  /* Translators: the file name of the rejected rows, %s is the imported file's name */
  name = g_strdup_printf (_("%s-rejected.csv"), basename);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);

  folder = g_file_get_parent (self->file);
  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);

  g_signal_connect (self->chooser, "response", G_CALLBACK (on_save_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_import_finished_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TcImportDialog) self = user_data;
  g_autoptr(TcImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = tc_contacts_import_finish (TC_REPOSITORY (object), result, &error);

  self->importing = FALSE;
  g_clear_pointer (&self->fields, g_free);
  g_clear_pointer (&self->region, g_free);
  g_clear_object (&self->import_cancellable);

  /* Destroyed meanwhile (its main window closed): nothing to show. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (self->close_when_done)
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

      /* The dialog is going away: say on the main window how it ended. */
      if (TC_IS_WINDOW (parent))
        {
          if (report != NULL)
            tc_window_add_toast (TC_WINDOW (parent), _("The import had finished before it could be stopped"));
          else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            tc_window_add_toast (TC_WINDOW (parent), _("Import cancelled — nothing was changed"));
        }

      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (report == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* The user asked for it, so it is news rather than an error. */
          adw_status_page_set_icon_name (self->error_page, "process-stop-symbolic");
          adw_status_page_set_title (self->error_page, _("Import Cancelled"));
          adw_status_page_set_description (self->error_page,
                                           _("Nothing was changed: your contacts are as they were before."));
          show_page (self, "error");
          return;
        }

      adw_status_page_set_icon_name (self->error_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->error_page, _("This File Cannot Be Imported"));
      show_error (self, error);
      return;
    }

  g_clear_pointer (&self->report, tc_import_report_free);
  self->report = g_steal_pointer (&report);
  show_report (self, self->report);
}

static void
start_import (TcImportDialog *self)
{
  g_autofree char *path = NULL;
  TcImportOptions options = { 0 };
  guint selected;

  g_assert (self->preview != NULL);
  g_assert (!self->importing);

  path = g_file_get_path (self->file);

  self->fields = g_new0 (TcContactField, self->column_dropdowns->len);
  for (guint i = 0; i < self->column_dropdowns->len; i++)
    self->fields[i] = choice_to_field (gtk_drop_down_get_selected (g_ptr_array_index (self->column_dropdowns, i)));

  selected = adw_combo_row_get_selected (self->region_row);
  if (selected != GTK_INVALID_LIST_POSITION && selected < self->region_codes->len)
    {
      const char *code = g_ptr_array_index (self->region_codes, selected);

      if (code[0] != '\0')
        self->region = g_strdup (code);
      if (self->settings != NULL)
        g_settings_set_string (self->settings, "default-region", code);
    }

  options.default_region = self->region;
  options.fields = self->fields;
  options.n_fields = self->column_dropdowns->len;

  self->importing = TRUE;
  self->import_cancellable = g_cancellable_new ();

  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_label_set_label (self->progress_label, _("Starting…"));
  show_page (self, "progress");
  gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));

  tc_contacts_import_async (self->repository,
                            path,
                            &options,
                            on_import_progress_cb,
                            g_object_ref (self),
                            g_object_unref,
                            self->import_cancellable,
                            on_import_finished_cb,
                            g_object_ref (self));
}

static void
on_chooser_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        TcImportDialog  *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);

  if (file != NULL)
    {
      if (self->settings != NULL)
        {
          g_autoptr(GFile) parent = g_file_get_parent (file);
          g_autofree char *folder = parent ? g_file_get_path (parent) : NULL;

          if (folder != NULL)
            g_settings_set_string (self->settings, "last-import-folder", folder);
        }

      tc_import_dialog_load_file (self, file);
      return;
    }

  /* Nothing chosen and nothing loaded before: the dialog has no purpose. */
  if (self->file == NULL)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_choose_button_clicked_cb (GtkButton      *button,
                             TcImportDialog *self)
{
  tc_import_dialog_choose_file (self);
}

static void
on_import_button_clicked_cb (GtkButton      *button,
                             TcImportDialog *self)
{
  if (self->importing || self->preview == NULL || !has_phone_column (self))
    return;

  start_import (self);
}

static void
on_done_button_clicked_cb (GtkButton      *button,
                           TcImportDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_cancel_button_clicked_cb (GtkButton      *button,
                             TcImportDialog *self)
{
  if (self->importing)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
      gtk_label_set_label (self->progress_label, _("Cancelling…"));
      g_cancellable_cancel (self->import_cancellable);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
on_stop_dialog_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            TcImportDialog   *self)
{
  if (g_strcmp0 (response, "stop") != 0 || !self->importing)
    return;

  self->close_when_done = TRUE;
  g_cancellable_cancel (self->import_cancellable);
}

static gboolean
tc_import_dialog_close_request (GtkWindow *window)
{
  TcImportDialog *self = TC_IMPORT_DIALOG (window);
  GtkWidget *dialog;

  if (!self->importing)
    return GTK_WINDOW_CLASS (tc_import_dialog_parent_class)->close_request (window);

  if (self->close_when_done)
    return TRUE;

  dialog = adw_message_dialog_new (window,
                                   _("Stop the Import?"),
                                   _("No contacts from this file will be added or changed."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "continue", _("_Keep Importing"),
                                    "stop", _("_Stop Import"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (on_stop_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

static void
tc_import_dialog_dispose (GObject *object)
{
  TcImportDialog *self = (TcImportDialog *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), TC_TYPE_IMPORT_DIALOG);

  g_clear_object (&self->repository);
  g_clear_object (&self->settings);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (tc_import_dialog_parent_class)->dispose (object);
}

static void
tc_import_dialog_finalize (GObject *object)
{
  TcImportDialog *self = (TcImportDialog *)object;

  g_clear_pointer (&self->preview, tc_csv_preview_free);
  g_clear_pointer (&self->report, tc_import_report_free);
  g_clear_pointer (&self->column_dropdowns, g_ptr_array_unref);
  g_clear_pointer (&self->column_rows, g_ptr_array_unref);
  g_clear_pointer (&self->region_codes, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_free);
  g_clear_pointer (&self->region, g_free);
  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tc_import_dialog_parent_class)->finalize (object);
}

static void
tc_import_dialog_class_init (TcImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tc_import_dialog_dispose;
  object_class->finalize = tc_import_dialog_finalize;

  window_class->close_request = tc_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/textcast/Textcast/tc-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, mapping_scroll);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, no_phone_box);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, region_row);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, report_page);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, rejected_group);
  gtk_widget_class_bind_template_child (widget_class, TcImportDialog, rejected_list);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_import_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_done_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_report_button_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tc_import_dialog_init (TcImportDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const TcCountry *countries;
  guint n_countries = 0;

  self->cancellable = g_cancellable_new ();
  self->column_dropdowns = g_ptr_array_new ();
  self->column_rows = g_ptr_array_new ();
  self->region_codes = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (names, _("None"));
  g_ptr_array_add (self->region_codes, g_strdup (""));
  countries = tc_gui_countries (&n_countries);
  for (guint i = 0; i < n_countries; i++)
    {
      g_autofree char *label = g_strdup_printf ("%s (%s)", _(countries[i].name), countries[i].code);

      gtk_string_list_append (names, label);
      g_ptr_array_add (self->region_codes, g_strdup (countries[i].code));
    }
  adw_combo_row_set_model (self->region_row, G_LIST_MODEL (names));

  show_page (self, "choose");
}

TcImportDialog *
tc_import_dialog_new (GtkWindow    *parent,
                      TcRepository *repository,
                      GSettings    *settings)
{
  TcImportDialog *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TC_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       "application", gtk_window_get_application (parent),
                       NULL);
  self->repository = g_object_ref (repository);
  g_set_object (&self->settings, settings);

  choose_region (self);

  return self;
}

void
tc_import_dialog_choose_file (TcImportDialog *self)
{
  g_autoptr(GtkFileFilter) csv_filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all_filter = gtk_file_filter_new ();
  g_autofree char *folder = NULL;

  g_return_if_fail (TC_IS_IMPORT_DIALOG (self));

  if (self->chooser != NULL || self->importing)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose a CSV File"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  gtk_file_filter_set_name (csv_filter, _("CSV files"));
  gtk_file_filter_add_mime_type (csv_filter, "text/csv");
  gtk_file_filter_add_mime_type (csv_filter, "text/comma-separated-values");
  gtk_file_filter_add_mime_type (csv_filter, "text/tab-separated-values");
  gtk_file_filter_add_suffix (csv_filter, "csv");
  gtk_file_filter_add_suffix (csv_filter, "tsv");
  gtk_file_filter_add_suffix (csv_filter, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), csv_filter);

  gtk_file_filter_set_name (all_filter, _("All files"));
  gtk_file_filter_add_pattern (all_filter, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all_filter);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (self->chooser), csv_filter);

  if (self->settings != NULL)
    folder = g_settings_get_string (self->settings, "last-import-folder");
  if (folder != NULL && folder[0] != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) dir = g_file_new_for_path (folder);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), dir, NULL);
    }

  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
tc_import_dialog_load_file (TcImportDialog *self,
                            GFile          *file)
{
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;

  g_return_if_fail (TC_IS_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->importing)
    return;

  g_set_object (&self->file, file);
  basename = g_file_get_basename (file);
  adw_window_title_set_subtitle (self->window_title, basename);

  adw_status_page_set_icon_name (self->error_page, "dialog-warning-symbolic");
  adw_status_page_set_title (self->error_page, _("This File Cannot Be Imported"));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autoptr(GError) error = g_error_new (TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_FOUND,
                                             "not a local file");

      show_error (self, error);
      return;
    }

  show_page (self, "loading");
  tc_csv_preview_load_async (path, PREVIEW_ROWS, self->cancellable,
                             on_preview_loaded_cb, g_object_ref (self));
}
