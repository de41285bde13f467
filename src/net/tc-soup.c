/* tc-soup.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-soup"

#include "config.h"

#include <string.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "tc-soup.h"

#define IO_TIMEOUT_SECONDS     30
#define IDLE_TIMEOUT_SECONDS   60
#define MAX_CONNS              8
#define MAX_CONNS_PER_HOST     4

/*
 * The proxy resolver: the desktop's own (GIO's default: environment,
 * GNOME settings or the Flatpak portal) for every host but this machine's
 * own. A loopback address never goes through a proxy, and asking the
 * default resolver costs a round trip through GIO's thread pool for every
 * new connection — which is every create-message request, since those are
 * never sent on a reused connection (tc-http-call.h). With the built-in
 * simulator on 127.0.0.1 that lookup was ~15 % of the send engine's time.
 */

#define TC_TYPE_LOOPBACK_PROXY_RESOLVER (tc_loopback_proxy_resolver_get_type ())

G_DECLARE_FINAL_TYPE (TcLoopbackProxyResolver, tc_loopback_proxy_resolver,
                      TC, LOOPBACK_PROXY_RESOLVER, GObject)

struct _TcLoopbackProxyResolver
{
  GObject          parent_instance;
  GProxyResolver  *fallback;
};

static void tc_loopback_proxy_resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TcLoopbackProxyResolver, tc_loopback_proxy_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      tc_loopback_proxy_resolver_iface_init))

static gboolean
is_loopback_uri (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *host;
  g_autoptr(GInetAddress) address = NULL;

  if (parsed == NULL || (host = g_uri_get_host (parsed)) == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

static char **
direct (void)
{
  char **proxies = g_new0 (char *, 2);

  proxies[0] = g_strdup ("direct://");

  return proxies;
}

static gboolean
tc_loopback_proxy_resolver_is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
tc_loopback_proxy_resolver_lookup (GProxyResolver  *resolver,
                                   const char      *uri,
                                   GCancellable    *cancellable,
                                   GError         **error)
{
  TcLoopbackProxyResolver *self = TC_LOOPBACK_PROXY_RESOLVER (resolver);

  if (is_loopback_uri (uri) || self->fallback == NULL)
    return direct ();

  return g_proxy_resolver_lookup (self->fallback, uri, cancellable, error);
}

static void
on_fallback_looked_up_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char **proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, &error);

  if (proxies == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, proxies, (GDestroyNotify) g_strfreev);
}

static void
tc_loopback_proxy_resolver_lookup_async (GProxyResolver      *resolver,
                                         const char          *uri,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  TcLoopbackProxyResolver *self = TC_LOOPBACK_PROXY_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_set_source_tag (task, tc_loopback_proxy_resolver_lookup_async);

  if (is_loopback_uri (uri) || self->fallback == NULL)
    {
      g_task_return_pointer (task, direct (), (GDestroyNotify) g_strfreev);
      return;
    }

  g_proxy_resolver_lookup_async (self->fallback, uri, cancellable, on_fallback_looked_up_cb,
                                 g_steal_pointer (&task));
}

static char **
tc_loopback_proxy_resolver_lookup_finish (GProxyResolver  *resolver,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tc_loopback_proxy_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = tc_loopback_proxy_resolver_is_supported;
  iface->lookup = tc_loopback_proxy_resolver_lookup;
  iface->lookup_async = tc_loopback_proxy_resolver_lookup_async;
  iface->lookup_finish = tc_loopback_proxy_resolver_lookup_finish;
}

static void
tc_loopback_proxy_resolver_finalize (GObject *object)
{
  TcLoopbackProxyResolver *self = TC_LOOPBACK_PROXY_RESOLVER (object);

  g_clear_object (&self->fallback);

  G_OBJECT_CLASS (tc_loopback_proxy_resolver_parent_class)->finalize (object);
}

static void
tc_loopback_proxy_resolver_class_init (TcLoopbackProxyResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_loopback_proxy_resolver_finalize;
}

static void
tc_loopback_proxy_resolver_init (TcLoopbackProxyResolver *self)
{
  GProxyResolver *fallback = g_proxy_resolver_get_default ();

  if (fallback != NULL && g_proxy_resolver_is_supported (fallback))
    self->fallback = g_object_ref (fallback);
}

GProxyResolver *
tc_soup_proxy_resolver_new (void)
{
  return g_object_new (TC_TYPE_LOOPBACK_PROXY_RESOLVER, NULL);
}

SoupSession *
tc_soup_session_new (void)
{
  g_autoptr(GProxyResolver) resolver = tc_soup_proxy_resolver_new ();

  return soup_session_new_with_options ("timeout", IO_TIMEOUT_SECONDS,
                                        "idle-timeout", IDLE_TIMEOUT_SECONDS,
                                        "max-conns", MAX_CONNS,
                                        "max-conns-per-host", MAX_CONNS_PER_HOST,
                                        "user-agent", "Textcast/" PACKAGE_VERSION,
                                        "proxy-resolver", resolver,
                                        NULL);
}

/*
 * The listener
 */

#define SOCKET_KEY "tc-soup-listener-socket"

struct _TcSoupListener
{
  SoupServer         *server;
  GSocketService     *service;
  GInetSocketAddress *bound;
};

static gboolean
on_incoming_cb (GSocketService    *service,
                GSocketConnection *connection,
                GObject           *source,
                gpointer           user_data)
{
  TcSoupListener *listener = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GError) error = NULL;

  if (local == NULL || remote == NULL)
    return TRUE;

  /* Answers are small and written at once: don't wait for more. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  /* The remote address object lives as long as the server's connection:
   * tc_soup_listener_get_socket() finds the socket through it. */
  g_object_set_data_full (G_OBJECT (remote), SOCKET_KEY, g_object_ref (socket), g_object_unref);
  if (!soup_server_accept_iostream (listener->server, G_IO_STREAM (connection), local, remote, &error))
    g_debug ("A connection could not be taken: %s", error->message);

  return TRUE;
}

TcSoupListener *
tc_soup_listener_new (SoupServer    *server,
                      GInetAddress  *address,
                      guint          port,
                      int            backlog,
                      GError       **error)
{
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  TcSoupListener *listener;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (G_IS_INET_ADDRESS (address), NULL);
  g_return_val_if_fail (port <= 65535, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  service = g_socket_service_new ();
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (service), backlog);
  socket_address = g_inet_socket_address_new (address, (guint16) port);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), socket_address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, error))
    return NULL;

  listener = g_new0 (TcSoupListener, 1);
  listener->server = g_object_ref (server);
  listener->service = g_steal_pointer (&service);
  listener->bound = G_INET_SOCKET_ADDRESS (g_steal_pointer (&bound));
  g_signal_connect (listener->service, "incoming", G_CALLBACK (on_incoming_cb), listener);
  g_socket_service_start (listener->service);

  return listener;
}

GInetSocketAddress *
tc_soup_listener_get_address (TcSoupListener *listener)
{
  g_return_val_if_fail (listener != NULL, NULL);

  return listener->bound;
}

void
tc_soup_listener_free (TcSoupListener *listener)
{
  if (listener == NULL)
    return;

  g_signal_handlers_disconnect_by_data (listener->service, listener);
  g_socket_service_stop (listener->service);
  g_socket_listener_close (G_SOCKET_LISTENER (listener->service));
  g_clear_object (&listener->service);
  g_clear_object (&listener->bound);
  g_clear_object (&listener->server);
  g_free (listener);
}

GSocket *
tc_soup_listener_get_socket (SoupServerMessage *message)
{
  GSocketAddress *remote;

  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (message), NULL);

  remote = soup_server_message_get_remote_address (message);

  return remote != NULL ? g_object_get_data (G_OBJECT (remote), SOCKET_KEY) : NULL;
}
