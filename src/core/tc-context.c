/* tc-context.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-context"

#include "config.h"

#include "tc-context.h"
#include "tc-repository.h"

struct _TcContext
{
  GObject       parent_instance;
  char         *db_path;
  TcRepository *repository;
};

G_DEFINE_FINAL_TYPE (TcContext, tc_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DB_PATH,
  PROP_REPOSITORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tc_context_dispose (GObject *object)
{
  TcContext *self = (TcContext *)object;

  if (self->repository != NULL)
    tc_repository_close (self->repository);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_context_parent_class)->dispose (object);
}

static void
tc_context_finalize (GObject *object)
{
  TcContext *self = (TcContext *)object;

  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (tc_context_parent_class)->finalize (object);
}

static void
tc_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TcContext *self = TC_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_DB_PATH:
      g_value_set_string (value, self->db_path);
      break;

    case PROP_REPOSITORY:
      g_value_set_object (value, self->repository);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_context_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TcContext *self = TC_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_DB_PATH:
      self->db_path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_context_constructed (GObject *object)
{
  TcContext *self = (TcContext *)object;

  G_OBJECT_CLASS (tc_context_parent_class)->constructed (object);

  if (self->db_path == NULL)
    self->db_path = tc_context_default_db_path ();
  self->repository = tc_repository_new (self->db_path);
}

static void
tc_context_class_init (TcContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tc_context_constructed;
  object_class->dispose = tc_context_dispose;
  object_class->finalize = tc_context_finalize;
  object_class->get_property = tc_context_get_property;
  object_class->set_property = tc_context_set_property;

  properties[PROP_DB_PATH] =
    g_param_spec_string ("db-path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REPOSITORY] =
    g_param_spec_object ("repository", NULL, NULL,
                         TC_TYPE_REPOSITORY,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tc_context_init (TcContext *self)
{
}

/**
 * tc_context_default_db_path:
 *
 * Returns: (transfer full): where the workspace database lives by default.
 */
char *
tc_context_default_db_path (void)
{
  const char *env = g_getenv ("TEXTCAST_DB");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "textcast", "textcast.db", NULL);
}

TcContext *
tc_context_new (const char *db_path)
{
  return g_object_new (TC_TYPE_CONTEXT,
                       "db-path", db_path,
                       NULL);
}

const char *
tc_context_get_db_path (TcContext *self)
{
  g_return_val_if_fail (TC_IS_CONTEXT (self), NULL);

  return self->db_path;
}

/**
 * tc_context_get_repository:
 *
 * Returns: (transfer none): the workspace repository (not yet opened).
 */
TcRepository *
tc_context_get_repository (TcContext *self)
{
  g_return_val_if_fail (TC_IS_CONTEXT (self), NULL);

  return self->repository;
}
