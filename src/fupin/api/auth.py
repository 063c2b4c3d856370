"""API authentication: a bearer token (`Authorization: Bearer fp_...`) or the browser session
(with its CSRF check on writes). The token is tried first so that token clients never meet CSRF."""

from ninja.security import HttpBearer, SessionAuth

from fupin.accounts.services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [TokenAuth(), SessionAuth()]
