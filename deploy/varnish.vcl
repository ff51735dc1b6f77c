# Varnish in front of Courant: caches public GraphQL GET answers for their s-maxage, and purges
# them by surrogate key when Courant says so (CDN_PURGE=varnish, CDN_PURGE_URL=http://<varnish>).
# Needs varnish-modules for xkey (Debian: apt-get install varnish varnish-modules).
vcl 4.1;

import xkey;
import std;

# Where Courant listens (the test suite writes its own port here).
backend courant {
  .host = "127.0.0.1";
  .port = "4000";
}

# Who may purge: Courant's instances. Widen to your gateways' network.
acl purgers {
  "127.0.0.1";
  "::1";
}

sub vcl_recv {
  if (req.method == "PURGE") {
    if (client.ip !~ purgers) {
      return (synth(403, "Forbidden"));
    }
    if (!req.http.xkey) {
      return (synth(400, "An xkey header with the surrogate keys to purge is required"));
    }
    # A hard purge: gone at once, never served stale afterwards.
    set req.http.n-gone = xkey.purge(req.http.xkey);
    return (synth(200, "Purged " + req.http.n-gone + " objects"));
  }
  # Only GET (and HEAD) queries are cacheable; POST, mutations and editors (an API key) pass.
  if (req.method != "GET" && req.method != "HEAD") {
    return (pass);
  }
  if (req.http.Authorization) {
    return (pass);
  }
  # Cookies never change a public answer.
  unset req.http.Cookie;
  return (hash);
}

sub vcl_backend_response {
  # Courant's Surrogate-Key header names what the answer read; xkey indexes the object by it.
  if (beresp.http.Surrogate-Key) {
    set beresp.http.xkey = beresp.http.Surrogate-Key;
  }
  # no-store and private answers (errors, editors, mutations) are never kept.
  if (beresp.http.Cache-Control ~ "(no-store|private)") {
    set beresp.uncacheable = true;
    set beresp.ttl = 0s;
    return (deliver);
  }
}

sub vcl_deliver {
  unset resp.http.xkey;
  if (obj.hits > 0) {
    set resp.http.X-Varnish-Cache = "HIT";
  } else {
    set resp.http.X-Varnish-Cache = "MISS";
  }
}
