"""The OAuth2 authorization-code dance against a running Confab, as a
browser and a client would do it; prints TAP lines (no plan).

usage: oauth_flow.py BASE_URL CLIENT_JSON EMAIL PASSWORD TEAM START_NUMBER
CLIENT_JSON is `confabctl --json oauth-app create` output; the app must have
the redirect URI http://127.0.0.1:9/cb.
"""
import base64, hashlib, json, os, re, sys
import urllib.parse

base, client_file, email, password, team, n = sys.argv[1:7]
client = json.load(open(client_file))
n = int(n)
REDIRECT = "http://127.0.0.1:9/cb"


def tap(ok, name, detail=""):
    global n
    n += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (n, name))
    if not ok and detail:
        print("# " + str(detail)[:400].replace("\n", "\n# "))


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from browser import Browser, hidden_fields  # noqa: E402

browser = Browser(base)
jar, req = browser.jar, browser.req


verifier = base64.urlsafe_b64encode(os.urandom(40)).rstrip(b"=").decode()
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
params = dict(response_type="code", client_id=client["client_id"], redirect_uri=REDIRECT,
              scope="sessions:read chatbots:interact", state="st-123", code_challenge=challenge,
              code_challenge_method="S256", team=team)

st, h, body = req("GET", "/o/authorize/?" + urllib.parse.urlencode(dict(params, client_id="unknown")))
tap(st == 400 and "Unknown client_id" in body, "authorize: unknown client is an error page, not a redirect", st)
st, h, body = req("GET", "/o/authorize/?" + urllib.parse.urlencode(dict(params, redirect_uri="http://evil.example/")))
tap(st == 400 and h.get("Location") is None, "authorize: unregistered redirect_uri is never redirected to", st)
st, h, body = req("GET", "/o/authorize/?" + urllib.parse.urlencode({k: v for k, v in params.items() if k != "code_challenge"}))
tap(st == 302 and "error=invalid_request" in h.get("Location", "") and h["Location"].startswith(REDIRECT),
    "authorize: missing PKCE challenge is redirected back as invalid_request", h.get("Location"))

st, h, body = req("GET", "/o/authorize/?" + urllib.parse.urlencode(params))
login_url = h.get("Location", "")
tap(st == 302 and login_url.startswith("/accounts/login/?next="), "authorize: not logged in redirects to the login page", (st, login_url))
st, h, body = req("GET", login_url)
m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
tap(st == 200 and m is not None and "text/html" in h.get("Content-Type", ""), "login page renders with a CSRF token", st)
fields = hidden_fields(body)
st, h, body = req("POST", "/accounts/login/", dict(fields, email=email, password="wrong-password"))
tap(st == 200 and "correct email and password" in body, "login: a wrong password re-renders the form", st)
st, h, body = req("POST", "/accounts/login/", dict(fields, email=email, password=password, csrfmiddlewaretoken="x" * 32))
tap(st == 403, "login: a wrong CSRF token is refused", st)
st, h, body = req("POST", "/accounts/login/", dict(fields, email=email, password=password))
cookie = h.get_all("Set-Cookie") or []
sid = [c for c in cookie if c.startswith("sessionid=")]
tap(st == 302 and h.get("Location", "").startswith("/o/authorize/?"), "login: redirects back to authorize", (st, h.get("Location")))
tap(sid and "HttpOnly" in sid[0] and "SameSite=Lax" in sid[0], "login: sessionid cookie is HttpOnly and SameSite=Lax", sid)

st, h, body = req("GET", h["Location"])
tap(st == 200 and client["name"] in body and "sessions:read" in body and 'value="' + team + '" selected' in body,
    "consent page names the application, the scopes and the chosen team", body[:300])
fields = hidden_fields(body)
st, h, body = req("POST", "/o/authorize/", dict(fields, team=team, cancel="Cancel"))
tap(st == 302 and "error=access_denied" in h.get("Location", "") and "state=st-123" in h.get("Location", ""),
    "consent: cancel redirects access_denied with the state", h.get("Location"))
st, h, body = req("POST", "/o/authorize/", dict(fields, team=team, allow="Authorize"))
loc = urllib.parse.urlparse(h.get("Location", ""))
q = urllib.parse.parse_qs(loc.query)
tap(st == 302 and h["Location"].startswith(REDIRECT) and q.get("state") == ["st-123"] and "code" in q,
    "consent: allow redirects with a code and the state", h.get("Location"))
code = q["code"][0]

basic = "Basic " + base64.b64encode(("%s:%s" % (client["client_id"], client["client_secret"])).encode()).decode()
auth = {"Authorization": basic}
st, h, body = req("POST", "/o/token/", dict(grant_type="authorization_code", code=code, code_verifier="x" * 43,
                                             redirect_uri=REDIRECT), auth)
tap(st == 400 and json.loads(body).get("error") == "invalid_grant", "token: a wrong PKCE verifier is invalid_grant", body)
# The failed attempt consumed nothing it should not: codes are single-use, so get a fresh one.
st, h, body = req("GET", "/o/authorize/?" + urllib.parse.urlencode(params))
fields = hidden_fields(body)
st, h, body = req("POST", "/o/authorize/", dict(fields, team=team, allow="Authorize"))
code = urllib.parse.parse_qs(urllib.parse.urlparse(h["Location"]).query)["code"][0]
st, h, body = req("POST", "/o/token/", dict(grant_type="authorization_code", code=code, code_verifier=verifier,
                                             redirect_uri=REDIRECT), {"Authorization": "Basic " + base64.b64encode(b"nobody:nothing").decode()})
tap(st == 401 and json.loads(body).get("error") == "invalid_client", "token: bad client credentials are invalid_client", body)
st, h, body = req("POST", "/o/token/", dict(grant_type="authorization_code", code=code, code_verifier=verifier,
                                             redirect_uri=REDIRECT), auth)
tok = json.loads(body) if st == 200 else {}
tap(st == 200 and tok.get("token_type") == "Bearer" and tok.get("expires_in") == 36000 and tok.get("refresh_token")
    and tok.get("scope") == "sessions:read chatbots:interact", "token: code exchange returns a bearer and a refresh token", body)

bearer = {"Authorization": "Bearer " + tok["access_token"]}
st, h, body = req("GET", "/api/sessions/", None, bearer)
tap(st == 200 and "results" in json.loads(body), "API call with the access token", (st, body[:200]))
st, h, body = req("POST", "/api/sessions/", b"{}", dict(bearer, **{"Content-Type": "application/json"}))
tap(st == 403, "token without sessions:write may not POST sessions", (st, body))

st, h, body = req("POST", "/o/token/", dict(grant_type="refresh_token", refresh_token=tok["refresh_token"]), auth)
tok2 = json.loads(body) if st == 200 else {}
tap(st == 200 and tok2.get("access_token") and tok2["access_token"] != tok["access_token"]
    and tok2["refresh_token"] != tok["refresh_token"], "refresh: a new access and refresh token", body)
st, h, body = req("GET", "/api/sessions/", None, bearer)
tap(st == 401, "refresh: the old access token stops working", (st, body))
# (The new access token is checked before the old refresh token is presented
# again: that reuse revokes the whole family, the new tokens included.)
bearer2 = {"Authorization": "Bearer " + tok2["access_token"]}
st, h, body = req("GET", "/api/sessions/", None, bearer2)
tap(st == 200, "the new access token works", (st, body[:200]))
st, h, body = req("POST", "/o/revoke_token/", dict(token=tok2["access_token"]), auth)
tap(st == 200, "revoke: 200", (st, body))
st, h, body = req("GET", "/api/sessions/", None, bearer2)
tap(st == 401 and json.loads(body) == {"detail": "Invalid token."}, "after revocation the token is 401 Invalid token.", (st, body))
st, h, body = req("POST", "/o/token/", dict(grant_type="refresh_token", refresh_token=tok["refresh_token"]), auth)
tap(st == 400 and json.loads(body).get("error") == "invalid_grant", "refresh: the old refresh token is rejected", body)
# (A replayed code also revokes every token issued from it, so it comes last.)
st, h, body = req("POST", "/o/token/", dict(grant_type="authorization_code", code=code, code_verifier=verifier), auth)
tap(st == 400 and json.loads(body).get("error") == "invalid_grant", "token: a code works only once", body)

# logout ends the cookie session
csrf = next((c.value for c in jar if c.name == "csrftoken"), "")
st, h, body = req("POST", "/accounts/logout/", dict(csrfmiddlewaretoken=csrf))
tap(st == 302, "logout redirects", st)
st, h, body = req("GET", "/o/authorize/?" + urllib.parse.urlencode(params))
tap(st == 302 and h.get("Location", "").startswith("/accounts/login/"), "after logout authorize asks to log in again", (st, h.get("Location")))
print("# next %d" % n)
