"""Makes and reads Flask session cookies with Flask's own session
interface (SecureCookieSessionInterface over itsdangerous), for the
keyseal interop tests. It reads a JSON array of tasks on stdin and writes
a JSON array of results on stdout.

A task: {"op": "write"|"read", "secret": SECRET_KEY,
"fallbacks": SECRET_KEY_FALLBACKS, "lifetime": PERMANENT_SESSION_LIFETIME
in seconds, "data": session (write), "tagged": add values Flask tags
(write), "permanent": bool (write), "timestamp": signing time or null
(write), "value": the cookie value (read)}.
A result: {"value": cookie value} or {"data": session, "empty": bool}.
"""
import base64
import datetime
import json
import sys
import uuid

import flask
import itsdangerous
from flask.sessions import SecureCookieSessionInterface
from markupsafe import Markup


class FallbackSessionInterface(SecureCookieSessionInterface):
    """Flask 3.1's SECRET_KEY_FALLBACKS on Flask 2.2: itsdangerous gets
    the fallbacks then the current key (the last signs), as Flask 3.1
    passes them."""

    fallbacks = []

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        return itsdangerous.URLSafeTimedSerializer(
            [*self.fallbacks, app.secret_key],
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={"key_derivation": self.key_derivation, "digest_method": self.digest_method},
        )


def app_for(task):
    app = flask.Flask("keyseal")
    app.secret_key = task["secret"]
    app.config["PERMANENT_SESSION_LIFETIME"] = datetime.timedelta(seconds=task.get("lifetime") or 31 * 86400)
    si = FallbackSessionInterface()
    si.fallbacks = task.get("fallbacks") or []
    app.session_interface = si
    return app


NOW = itsdangerous.TimestampSigner.get_timestamp

TAGGED = {
    "tuple": (1, "two", (3,)),
    "bytes": b"\x00\xffbinary",
    "when": datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
    "id": uuid.UUID("12345678-9abc-def0-1234-56789abcdef0"),
    "html": Markup("<b>bold</b>"),
    "looks_tagged": {" t": "a dict whose only key is a tag"},
}


def plain(v):
    """The JSON a Go reader should see for a session value."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, Markup):
        return str(v)
    return v


def run(task):
    itsdangerous.TimestampSigner.get_timestamp = NOW
    app = app_for(task)
    si = app.session_interface
    if task["op"] == "write":
        ts = task.get("timestamp")
        if ts is not None:
            itsdangerous.TimestampSigner.get_timestamp = lambda self: ts
        with app.test_request_context("/"):
            sess = si.open_session(app, flask.request)
            sess.update(task["data"])
            if task.get("tagged"):
                sess.update(TAGGED)
            sess.permanent = bool(task.get("permanent"))
            resp = app.response_class()
            si.save_session(app, sess, resp)
            header = resp.headers["Set-Cookie"]
            return {"value": header.split(";")[0].split("=", 1)[1], "data": plain(dict(sess))}
    if task["op"] == "read":
        with app.test_request_context("/", headers={"Cookie": "session=" + task["value"]}):
            sess = si.open_session(app, flask.request)
            return {"data": plain(dict(sess)), "empty": len(sess) == 0}
    return {"error": "unknown op"}


def main():
    out = []
    for task in json.load(sys.stdin):
        try:
            out.append(run(task))
        except Exception as e:  # noqa: BLE001 - reported to the Go test
            out.append({"error": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout)


main()
