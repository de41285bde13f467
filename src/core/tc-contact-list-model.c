/* tc-contact-list-model.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-contact-list-model"

#include "config.h"

#include "tc-contact.h"
#include "tc-contact-list-model.h"
#include "tc-contact-list-model-private.h"
#include "tc-contact-private.h"
#include "tc-repository.h"

/*
 * Rows are fetched in pages of PAGE_SIZE, at most MAX_PAGES of them are
 * kept (least recently used first out), so scrolling through a million
 * contacts holds a few thousand objects. A row whose page is not here yet
 * is a placeholder object that stays in its page slot and is filled in
 * place when the page arrives, so a bound row widget updates by notify.
 *
 * Every change of search or tag, and every reload, bumps "generation";
 * replies carry the generation they were asked under and are dropped when
 * it is stale.
 *
 * A new filter (or a changed count) does not replace the rows: the pages
 * held keep their objects, are cut or lengthened to the new count and are
 * refilled in place, and items-changed speaks only of the rows added or
 * removed at the end. A list view then keeps its row widgets and only
 * rebinds labels, where replacing a million rows made it tear down and
 * rebuild everything (hundreds of milliseconds on the GUI thread). While
 * a count is on its way, no page is asked for: the pages held are asked
 * for once it is known.
 */

#define PAGE_SIZE 200
#define MAX_PAGES 16

typedef struct
{
  guint      index;
  guint      serial;
  guint      requested_generation;
  GPtrArray *items;   /* of TcContact */
  GList      link;    /* in lru, data = the page */
} Page;

struct _TcContactListModel
{
  GObject       parent_instance;

  TcRepository *repository;
  char         *search;
  char         *tag;

  guint         n_items;
  guint         generation;
  guint         next_serial;
  guint         n_pending;
  gboolean      counting;  /* a count of the current generation is on its way */

  GHashTable   *pages;  /* page index → Page */
  GQueue        lru;    /* most recently used at the head */
  GCancellable *cancellable;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TcContactListModel, tc_contact_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_REPOSITORY,
  PROP_SEARCH,
  PROP_TAG,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  TcContactListModel *self;
  guint               generation;
  guint               page_index;
  guint               serial;
} Request;

static Request *
request_new (TcContactListModel *self)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->generation = self->generation;

  return request;
}

static void
request_free (Request *request)
{
  g_object_unref (request->self);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
pending_inc (TcContactListModel *self)
{
  if (self->n_pending++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
pending_dec (TcContactListModel *self)
{
  g_assert (self->n_pending > 0);

  if (--self->n_pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
report_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A model over a repository that is not open is just empty. */
  if (g_error_matches (error, TC_DB_ERROR, TC_DB_ERROR_CLOSED))
    g_debug ("Cannot load contacts: %s", error->message);
  else
    g_warning ("Cannot load contacts: %s", error->message);
}

static void
drop_pages (TcContactListModel *self)
{
  g_queue_init (&self->lru);
  g_hash_table_remove_all (self->pages);
}

static void
fill_page (TcContactListModel *self,
           Request            *request,
           GPtrArray          *contacts)
{
  Page *page;

  if (request->generation != self->generation)
    return;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (request->page_index));
  if (page == NULL || page->serial != request->serial)
    return;

  for (guint i = 0; i < MIN (contacts->len, page->items->len); i++)
    _tc_contact_fill_from (page->items->pdata[i], contacts->pdata[i]);
}

static void
on_page_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  TcContactListModel *self = request->self;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) error = NULL;

  contacts = tc_repository_list_contacts_finish (TC_REPOSITORY (object), result, &error);
  if (contacts == NULL)
    report_error (error);
  else
    fill_page (self, request, contacts);

  /* Last, so that "loading" turns FALSE with the rows filled. */
  pending_dec (self);
}

static void
request_page (TcContactListModel *self,
              Page               *page)
{
  Request *request;

  if (self->counting || page->requested_generation == self->generation)
    return;

  page->requested_generation = self->generation;
  request = request_new (self);
  request->page_index = page->index;
  request->serial = page->serial;

  pending_inc (self);
  tc_repository_list_contacts_async (self->repository, self->search, self->tag,
                                     page->index * PAGE_SIZE, PAGE_SIZE,
                                     self->cancellable, on_page_loaded_cb, request);
}

static void
touch_page (TcContactListModel *self,
            Page               *page)
{
  g_queue_unlink (&self->lru, &page->link);
  g_queue_push_head_link (&self->lru, &page->link);
}

static Page *
create_page (TcContactListModel *self,
             guint               index)
{
  Page *page = g_new0 (Page, 1);
  guint start = index * PAGE_SIZE;
  guint n = MIN (PAGE_SIZE, self->n_items - start);

  page->index = index;
  page->serial = ++self->next_serial;
  page->requested_generation = self->generation - 1;
  page->items = g_ptr_array_new_full (n, g_object_unref);
  page->link.data = page;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (page->items, _tc_contact_new_placeholder ());

  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  g_queue_push_head_link (&self->lru, &page->link);

  while (self->lru.length > MAX_PAGES)
    {
      GList *oldest = g_queue_pop_tail_link (&self->lru);
      Page *evicted = oldest->data;

      g_hash_table_remove (self->pages, GUINT_TO_POINTER (evicted->index));
    }

  return page;
}

/* Cuts or lengthens the pages held to a list of @n rows. */
static void
resize_pages (TcContactListModel *self,
              guint               n)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;
      guint start = page->index * PAGE_SIZE;
      guint len;

      if (start >= n)
        {
          g_queue_unlink (&self->lru, &page->link);
          g_hash_table_iter_remove (&iter);
          continue;
        }

      len = MIN (PAGE_SIZE, n - start);
      if (page->items->len > len)
        g_ptr_array_set_size (page->items, len);
      while (page->items->len < len)
        g_ptr_array_add (page->items, _tc_contact_new_placeholder ());
    }
}

static void
request_held_pages (TcContactListModel *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    request_page (self, value);
}

static void
on_count_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  TcContactListModel *self = request->self;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  guint old;

  if (!tc_repository_count_contacts_finish (TC_REPOSITORY (object), result, &n, &error))
    {
      /* The rows held stay as they were; the next change counts again. */
      if (request->generation == self->generation)
        self->counting = FALSE;
      pending_dec (self);
      report_error (error);
      return;
    }

  if (request->generation != self->generation)
    {
      pending_dec (self);
      return;
    }

  self->counting = FALSE;
  old = self->n_items;

  /* The rows held stay where they are (same objects, refilled under the
   * current filter); only the end of the list grows or shrinks. */
  resize_pages (self, n);
  self->n_items = n;
  request_held_pages (self);
  if (n < old)
    g_list_model_items_changed (G_LIST_MODEL (self), n, old - n, 0);
  else if (n > old)
    g_list_model_items_changed (G_LIST_MODEL (self), old, 0, n - old);
  if (old != n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  /* Last, so that "loading" turns FALSE with the new rows in place. */
  pending_dec (self);
}

static void
start_count (TcContactListModel *self)
{
  Request *request;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;

  if (self->repository == NULL)
    return;

  self->counting = TRUE;
  request = request_new (self);
  pending_inc (self);
  tc_repository_count_contacts_async (self->repository, self->search, self->tag,
                                      self->cancellable, on_count_cb, request);
}

static void
on_contacts_changed_cb (TcContactListModel *self)
{
  start_count (self);
}

/* GListModel */

static GType
tc_contact_list_model_get_item_type (GListModel *model)
{
  return TC_TYPE_CONTACT;
}

static guint
tc_contact_list_model_get_n_items (GListModel *model)
{
  return TC_CONTACT_LIST_MODEL (model)->n_items;
}

static gpointer
tc_contact_list_model_get_item (GListModel *model,
                                guint       position)
{
  TcContactListModel *self = TC_CONTACT_LIST_MODEL (model);
  guint index = position / PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL)
    page = create_page (self, index);
  else
    touch_page (self, page);

  request_page (self, page);

  g_assert (position % PAGE_SIZE < page->items->len);

  return g_object_ref (page->items->pdata[position % PAGE_SIZE]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = tc_contact_list_model_get_item_type;
  iface->get_n_items = tc_contact_list_model_get_n_items;
  iface->get_item = tc_contact_list_model_get_item;
}

/* GObject */

static void
tc_contact_list_model_constructed (GObject *object)
{
  TcContactListModel *self = (TcContactListModel *)object;

  G_OBJECT_CLASS (tc_contact_list_model_parent_class)->constructed (object);

  if (self->repository != NULL)
    g_signal_connect_object (self->repository, "contacts-changed",
                             G_CALLBACK (on_contacts_changed_cb), self, G_CONNECT_SWAPPED);

  start_count (self);
}

static void
tc_contact_list_model_dispose (GObject *object)
{
  TcContactListModel *self = (TcContactListModel *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  drop_pages (self);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_contact_list_model_parent_class)->dispose (object);
}

static void
tc_contact_list_model_finalize (GObject *object)
{
  TcContactListModel *self = (TcContactListModel *)object;

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->tag, g_free);

  G_OBJECT_CLASS (tc_contact_list_model_parent_class)->finalize (object);
}

static void
tc_contact_list_model_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TcContactListModel *self = TC_CONTACT_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_REPOSITORY:
      g_value_set_object (value, self->repository);
      break;

    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;

    case PROP_TAG:
      g_value_set_string (value, self->tag);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->n_pending > 0);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_contact_list_model_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TcContactListModel *self = TC_CONTACT_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_REPOSITORY:
      self->repository = g_value_dup_object (value);
      break;

    case PROP_SEARCH:
      tc_contact_list_model_set_search (self, g_value_get_string (value));
      break;

    case PROP_TAG:
      tc_contact_list_model_set_tag (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_contact_list_model_class_init (TcContactListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tc_contact_list_model_constructed;
  object_class->dispose = tc_contact_list_model_dispose;
  object_class->finalize = tc_contact_list_model_finalize;
  object_class->get_property = tc_contact_list_model_get_property;
  object_class->set_property = tc_contact_list_model_set_property;

  properties[PROP_REPOSITORY] =
    g_param_spec_object ("repository", NULL, NULL,
                         TC_TYPE_REPOSITORY,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TAG] =
    g_param_spec_string ("tag", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tc_contact_list_model_init (TcContactListModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  g_queue_init (&self->lru);
  self->cancellable = g_cancellable_new ();
}

TcContactListModel *
tc_contact_list_model_new (TcRepository *repository)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  return g_object_new (TC_TYPE_CONTACT_LIST_MODEL,
                       "repository", repository,
                       NULL);
}

TcRepository *
tc_contact_list_model_get_repository (TcContactListModel *self)
{
  g_return_val_if_fail (TC_IS_CONTACT_LIST_MODEL (self), NULL);

  return self->repository;
}

const char *
tc_contact_list_model_get_search (TcContactListModel *self)
{
  g_return_val_if_fail (TC_IS_CONTACT_LIST_MODEL (self), NULL);

  return self->search;
}

static gboolean
set_filter_string (char       **field,
                   const char  *value)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

void
tc_contact_list_model_set_search (TcContactListModel *self,
                                  const char         *search)
{
  g_return_if_fail (TC_IS_CONTACT_LIST_MODEL (self));

  if (!set_filter_string (&self->search, search))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
  /* Before construction is complete, constructed() counts. */
  if (self->pages != NULL && self->repository != NULL)
    start_count (self);
}

const char *
tc_contact_list_model_get_tag (TcContactListModel *self)
{
  g_return_val_if_fail (TC_IS_CONTACT_LIST_MODEL (self), NULL);

  return self->tag;
}

void
tc_contact_list_model_set_tag (TcContactListModel *self,
                               const char         *tag)
{
  g_return_if_fail (TC_IS_CONTACT_LIST_MODEL (self));

  if (!set_filter_string (&self->tag, tag))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAG]);
  if (self->pages != NULL && self->repository != NULL)
    start_count (self);
}

gboolean
tc_contact_list_model_get_loading (TcContactListModel *self)
{
  g_return_val_if_fail (TC_IS_CONTACT_LIST_MODEL (self), FALSE);

  return self->n_pending > 0;
}

void
tc_contact_list_model_reload (TcContactListModel *self)
{
  g_return_if_fail (TC_IS_CONTACT_LIST_MODEL (self));

  start_count (self);
}

guint
_tc_contact_list_model_get_n_cached_pages (TcContactListModel *self)
{
  g_return_val_if_fail (TC_IS_CONTACT_LIST_MODEL (self), 0);

  return g_hash_table_size (self->pages);
}

guint
_tc_contact_list_model_get_max_cached_pages (TcContactListModel *self)
{
  return MAX_PAGES;
}

guint
_tc_contact_list_model_get_page_size (TcContactListModel *self)
{
  return PAGE_SIZE;
}
