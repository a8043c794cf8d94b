"""OAuth2 security rules of the token endpoint (RFC 6749 sections 4.1.2,
4.1.3, 5.2, 10.4, 10.5; OAuth 2.0 Security BCP) against a running Confab; prints
TAP lines (no plan).

usage: oauth_security.py BASE_URL APP_TWO_JSON APP_ONE_JSON EMAIL PASSWORD TEAM SQL_SOCKET START_NUMBER
APP_TWO_JSON: an app with redirect URIs http://127.0.0.1:9/cb and
http://127.0.0.1:9/cb2; APP_ONE_JSON: an app with the single redirect URI
http://127.0.0.1:9/one (both `confabctl --json oauth-app create` output).
"""
import base64, hashlib, json, os, subprocess, sys
import urllib.parse

base, two_file, one_file, email, password, team, sql_socket, n = sys.argv[1:9]
APP2, APP1 = json.load(open(two_file)), json.load(open(one_file))
n = int(n)
CB, CB2, ONE = "http://127.0.0.1:9/cb", "http://127.0.0.1:9/cb2", "http://127.0.0.1:9/one"


def tap(ok, name, detail=""):
    global n
    n += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (n, name))
    if not ok and detail:
        print("# " + str(detail)[:400].replace("\n", "\n# "))


def sql(query):
    return subprocess.run(["mariadb", "--no-defaults", "-S", sql_socket, "-uroot", "confab", "-N", "-e", query],
                          check=True, capture_output=True, text=True).stdout.strip()


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from browser import Browser, hidden_fields  # noqa: E402

browser = Browser(base)
req = browser.req


def pkce():
    verifier = base64.urlsafe_b64encode(os.urandom(40)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def get_code(app, redirect):
    """Authorizes app (logged in already); redirect None omits redirect_uri.
    Returns (code, verifier)."""
    verifier, challenge = pkce()
    params = dict(response_type="code", client_id=app["client_id"], scope="sessions:read", state="s",
                  code_challenge=challenge, code_challenge_method="S256", team=team)
    if redirect is not None:
        params["redirect_uri"] = redirect
    st, h, body = req("GET", "/o/authorize/?" + urllib.parse.urlencode(params))
    fields = hidden_fields(body)
    st, h, body = req("POST", "/o/authorize/", dict(fields, team=team, allow="Authorize"))
    q = urllib.parse.parse_qs(urllib.parse.urlparse(h.get("Location", "")).query)
    return q.get("code", [""])[0], verifier


def basic(app):
    return {"Authorization": "Basic " + base64.b64encode(
        ("%s:%s" % (app["client_id"], app["client_secret"])).encode()).decode()}


def exchange(app, code, verifier, redirect):
    form = dict(grant_type="authorization_code", code=code, code_verifier=verifier)
    if redirect is not None:
        form["redirect_uri"] = redirect
    return req("POST", "/o/token/", form, basic(app))


def refresh(app, token):
    return req("POST", "/o/token/", dict(grant_type="refresh_token", refresh_token=token), basic(app))


def api(access):
    return req("GET", "/api/sessions/", None, {"Authorization": "Bearer " + access})[0]


def is_error(resp, code):
    """An RFC 6749 section 5.2 error: 400, JSON with error = code and only its members."""
    st, h, body = resp
    try:
        d = json.loads(body)
    except ValueError:
        return False
    return (st == 400 and "application/json" in h.get("Content-Type", "") and d.get("error") == code
            and set(d) <= {"error", "error_description", "error_uri"} and h.get("Cache-Control") == "no-store")


def tokens(resp):
    st, h, body = resp
    return json.loads(body) if st == 200 else {}


# ---- log in once (the cookie jar keeps the session)
verifier, challenge = pkce()
st, h, body = req("GET", "/o/authorize/?" + urllib.parse.urlencode(dict(
    response_type="code", client_id=APP2["client_id"], redirect_uri=CB, code_challenge=challenge,
    code_challenge_method="S256")))
st, h, body = req("GET", h.get("Location", "/accounts/login/"))
st, h, body = req("POST", "/accounts/login/", dict(hidden_fields(body), email=email, password=password))
tap(st == 302, "logged in", st)

# ---- RFC 6749 section 4.1.3: redirect_uri required when it was sent, and identical
code, ver = get_code(APP2, CB)
tap(len(code) == 40, "authorize with redirect_uri: a code", code)
r = exchange(APP2, code, ver, None)
tap(is_error(r, "invalid_grant"), "token without the redirect_uri sent to authorize: invalid_grant (RFC 6749 section 5.2 body)", r[2])
code, ver = get_code(APP2, CB)
r = exchange(APP2, code, ver, CB2)
tap(is_error(r, "invalid_grant"), "token with another registered redirect_uri: invalid_grant", r[2])
code, ver = get_code(APP2, CB)
r = exchange(APP2, code, ver, CB + "/")
tap(is_error(r, "invalid_grant"), "token with a redirect_uri differing by a slash: invalid_grant", r[2])
code, ver = get_code(APP2, CB2)
r = exchange(APP2, code, ver, CB)
tap(is_error(r, "invalid_grant"), "code issued for cb2, token names cb: invalid_grant", r[2])
code, ver = get_code(APP2, CB2)
r = exchange(APP2, code, ver, CB2)
tap(r[0] == 200 and tokens(r).get("access_token"), "token with the identical redirect_uri: 200", r[2])
code, ver = get_code(APP1, None)
tap(len(code) == 40, "single-URI app, authorize without redirect_uri: a code", code)
r = exchange(APP1, code, ver, None)
tap(r[0] == 200, "redirect_uri not sent to authorize: not required at the token endpoint", r[2])
code, ver = get_code(APP1, None)
r = exchange(APP1, code, ver, "http://127.0.0.1:9/other")
tap(is_error(r, "invalid_grant"), "redirect_uri not sent to authorize, a different one at the token endpoint: invalid_grant", r[2])

# ---- RFC 6749 sections 4.1.2, 10.5: a replayed code fails and revokes what it issued
code, ver = get_code(APP2, CB)
first = tokens(exchange(APP2, code, ver, CB))
tap(bool(first) and api(first["access_token"]) == 200, "code exchanged: the access token works")
child = tokens(refresh(APP2, first["refresh_token"]))
tap(bool(child) and api(child["access_token"]) == 200, "refreshed once: the new access token works")
r = exchange(APP2, code, ver, CB)
tap(is_error(r, "invalid_grant"), "the same code again: invalid_grant", r[2])
tap(api(child["access_token"]) == 401, "after the replay: the token descended from the code is revoked")
tap(is_error(refresh(APP2, child["refresh_token"]), "invalid_grant"),
    "after the replay: its refresh token is revoked too")
gid = sql("SELECT grant_id FROM oauth_access_tokens ORDER BY id DESC LIMIT 1")
tap(sql("SELECT COUNT(*) FROM oauth_access_tokens WHERE grant_id = %s AND revoked = 0" % int(gid)) == "0"
    and sql("SELECT COUNT(*) FROM oauth_refresh_tokens WHERE grant_id = %s AND revoked = 0" % int(gid)) == "0",
    "every token of the replayed grant is revoked in the database")

# ---- BCP: refresh rotation with reuse detection
code, ver = get_code(APP2, CB)
t1 = tokens(exchange(APP2, code, ver, CB))
code, ver = get_code(APP2, CB)
other = tokens(exchange(APP2, code, ver, CB))   # another grant of the same user and app
t2 = tokens(refresh(APP2, t1["refresh_token"]))
tap(bool(t2) and t2["refresh_token"] != t1["refresh_token"], "refresh: a new refresh token (rotation)")
t3 = tokens(refresh(APP2, t2["refresh_token"]))
tap(bool(t3) and api(t3["access_token"]) == 200, "the rotated-in refresh token works once")
r = refresh(APP2, t1["refresh_token"])
tap(is_error(r, "invalid_grant"), "an already rotated refresh token: invalid_grant", r[2])
tap(api(t3["access_token"]) == 401, "reuse detected: the family's newest access token is revoked")
tap(is_error(refresh(APP2, t3["refresh_token"]), "invalid_grant"), "reuse detected: the family's newest refresh token is revoked")
tap(api(other["access_token"]) == 200, "another grant's tokens are untouched")
r = refresh(APP2, other["refresh_token"])
tap(r[0] == 200, "another grant's refresh token still rotates", r[2])
other = tokens(r)
tap(is_error(refresh(APP1, other["refresh_token"]), "invalid_grant"), "a refresh token presented by another client: invalid_grant")
tap(api(other["access_token"]) == 200, "a foreign client's attempt revokes nothing")

# ---- refresh token lifetime (oauth_refresh_token_days, default 30)
h = hashlib.sha256(other["refresh_token"].encode()).hexdigest()
days = sql("SELECT TIMESTAMPDIFF(HOUR, UTC_TIMESTAMP(6), expires) FROM oauth_refresh_tokens WHERE token_hash = '%s'" % h)
tap(days.isdigit() and 29 * 24 <= int(days) <= 30 * 24, "a refresh token expires after 30 days by default", days)
sql("UPDATE oauth_refresh_tokens SET expires = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE token_hash = '%s'" % h)
r = refresh(APP2, other["refresh_token"])
tap(is_error(r, "invalid_grant"), "an expired refresh token: invalid_grant", r[2])
print("# next %d" % n)
