"""A minimal browser for the form tests: a cookie jar, no redirect
following (tests read the Location themselves), and the hidden fields of a
page. Shared by tests/integration/oauth_flow.py and oauth_security.py."""
import html, http.cookiejar, re
import urllib.error, urllib.parse, urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def req(self, method, url, data=None, headers=None):
        """Returns (status, headers, body text); a dict as data is sent as a form."""
        if isinstance(data, dict):
            data = urllib.parse.urlencode(data).encode()
            headers = dict(headers or {}, **{"Content-Type": "application/x-www-form-urlencoded"})
        r = urllib.request.Request(url if url.startswith("http") else self.base + url, data=data, method=method,
                                   headers=headers or {})
        try:
            resp = self.opener.open(r)
            return resp.status, resp.headers, resp.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode()


def hidden_fields(page):
    return {html.unescape(k): html.unescape(v)
            for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)}
