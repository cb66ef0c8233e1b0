"""An independent HTTP Negotiate server on python-gssapi, for the Rust client's interop test.

The handler of the Flask seed (flask-negotiate-s4u2proxy), done right and on the standard
library's http.server:

- the mutual-authentication token goes back in ``WWW-Authenticate: Negotiate <token>``
  (the seed dropped it, so no client could verify the server);
- acceptor credentials come from the keytab given on the command line through the
  credential store, never from the process environment;
- delegated credentials go into a per-request, uniquely named ``MEMORY:`` ccache, are used
  from there (to show they work) and never touch ``KRB5CCNAME``;
- a token that does not decode or is refused gets a 401, not a stack trace.

Usage: ``python3 negotiate_app.py KEYTAB``. Listens on 127.0.0.1, an ephemeral port, and
prints ``port <n>`` on its first line of output. Runs until killed.
"""

import base64
import binascii
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import gssapi

KEYTAB = sys.argv[1]
SERVER_CREDS = gssapi.Credentials(usage="accept", store={"keytab": KEYTAB})


def b64(token):
    return base64.b64encode(token).decode("ascii")


class Negotiate(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, status, headers, body):
        body = body.encode("utf-8")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        auth = self.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "negotiate" or not token:
            return self.reply(401, {"WWW-Authenticate": "Negotiate"}, "Unauthorized")
        try:
            in_token = base64.b64decode(token.strip(), validate=True)
        except (binascii.Error, ValueError):
            return self.reply(400, {}, "bad base64")
        ctx = gssapi.SecurityContext(creds=SERVER_CREDS, usage="accept")
        try:
            out_token = ctx.step(in_token)
        except gssapi.exceptions.GSSError as e:
            return self.reply(401, {"WWW-Authenticate": "Negotiate"}, "refused: %s" % e)
        if not ctx.complete:
            # A multi-leg mechanism; this one-request handler does not keep contexts.
            return self.reply(401, {"WWW-Authenticate": "Negotiate " + b64(out_token)}, "continue")
        delegated = "none"
        if ctx.delegated_creds is not None:
            ccache = "MEMORY:negotiate_app_%s" % uuid.uuid4().hex
            ctx.delegated_creds.store(store={"ccache": ccache}, overwrite=True)
            usable = gssapi.Credentials(usage="initiate", store={"ccache": ccache})
            delegated = str(usable.name)
        headers = {}
        if out_token:
            headers["WWW-Authenticate"] = "Negotiate " + b64(out_token)
        body = "hello %s mech=%s delegated=%s" % (ctx.initiator_name, ctx.mech.dotted_form, delegated)
        return self.reply(200, headers, body)

    def log_message(self, format, *args):
        sys.stderr.write("negotiate_app: " + (format % args) + "\n")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Negotiate)
    print("port %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
