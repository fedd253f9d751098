"""The HTTP policy every shop connector shares.

- retries with exponential back-off on 429/5xx, timeouts and connection resets, through urllib3's
  `Retry` (also for POST/PUT: our writes are idempotent), honouring a capped `Retry-After`;
- a timeout on every request;
- a per-shop throttle (requests per second per base URL, shared by every session and thread);
- TLS verification always on; plain HTTP only to loopback unless explicitly allowed;
- transport failures become `ConnectionFailure` with readable messages that never carry a key, a
  secret, an Authorization header or a signed query string (urllib3's own debug log is redacted too);
- a count of requests per HTTP method, for benchmarks.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    InvalidHeader,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util.retry import Retry

from trayapp.errors import ConnectionFailure
from trayapp.shops.base import ShopSettings

log = logging.getLogger(__name__)

RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})
RETRY_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})
DEFAULT_MAX_RETRY_AFTER = 120.0
LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


# --------------------------------------------------------------------------------------------------
# Redaction


_SECRETS: set[str] = set()
_SECRETS_LOCK = threading.Lock()
_SENSITIVE_PARAM = re.compile(
    r"(?i)(oauth_signature|oauth_consumer_key|oauth_nonce|consumer_key|consumer_secret)(=|%3D|%253D)[^&\s'\"]*"
)
_AUTH_HEADER = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(basic|oauth|bearer)\s+[^'\"\r\n]*")


def register_secret(value: str | None) -> None:
    """Remember a key/secret so `redact` (and the log filter) can blank it wherever it shows up."""
    if not value or len(value) < 4:
        return
    with _SECRETS_LOCK:
        _SECRETS.add(value)
        _SECRETS.add(quote(value, safe=""))


def redact(text: str) -> str:
    """The text without signed query parameters, Authorization values or registered secrets."""
    text = _SENSITIVE_PARAM.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)} ***", text)
    with _SECRETS_LOCK:
        secrets = sorted(_SECRETS, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, "***")
    return text


def safe_url(url: str) -> str:
    """scheme://host[:port]/path, without user info or query string (for messages and logs)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is not ours to fix
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def _install_log_redaction() -> None:
    # urllib3 logs full request URLs (with OAuth signatures) at DEBUG; filters on a logger only see
    # records logged on that very logger, hence the explicit names.
    for name in ("urllib3.connectionpool", "urllib3.util.retry", "urllib3.connection",
                 "requests_oauthlib.oauth1_auth"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactingFilter) for f in logger.filters):
            logger.addFilter(_RedactingFilter())
    # oauthlib logs signature base strings and keys at DEBUG, in percent-encoded forms: keep it quiet.
    oauthlib_logger = logging.getLogger("oauthlib")
    if oauthlib_logger.level == logging.NOTSET or oauthlib_logger.level < logging.INFO:
        oauthlib_logger.setLevel(logging.INFO)


_install_log_redaction()


# --------------------------------------------------------------------------------------------------
# Retry policy


class CappedRetry(Retry):
    """urllib3 Retry whose honoured Retry-After is capped (a shop answering "come back in a day" must not
    hang a sync run) and whose unparsable Retry-After falls back to the normal back-off."""

    def __init__(self, *args: Any, max_retry_after: float = DEFAULT_MAX_RETRY_AFTER, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_retry_after = max_retry_after

    def new(self, **kw: Any) -> CappedRetry:
        kw.setdefault("max_retry_after", self.max_retry_after)
        return super().new(**kw)  # type: ignore[return-value]

    def get_retry_after(self, response: Any) -> float | None:
        try:
            seconds = super().get_retry_after(response)
        except InvalidHeader:
            return None
        if seconds is None:
            return None
        return max(0.0, min(float(seconds), self.max_retry_after))


def make_retry(settings: ShopSettings, *, max_retry_after: float = DEFAULT_MAX_RETRY_AFTER) -> CappedRetry:
    retries = max(0, int(settings.retries))
    return CappedRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        redirect=False,
        backoff_factor=settings.backoff_factor,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=RETRY_METHODS,
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
        max_retry_after=max_retry_after,
    )


class SigningAdapter(HTTPAdapter):
    """Runs the same urllib3 `Retry` policy one level up, signing every attempt afresh.

    Needed for OAuth 1.0a: WooCommerce records each nonce when it authenticates a request, so a
    byte-identical retry of a request that reached PHP (then failed with a 500 or a timeout) would be
    refused with 401 "nonce has already been used". urllib3's own retries resend the same URL, so here
    the pool does no retries and this adapter asks the policy (`increment`, `sleep`) what to do.
    """

    def __init__(self, policy: Retry, sign: Callable[[requests.PreparedRequest], requests.PreparedRequest],
                 **kwargs: Any) -> None:
        self.policy = policy
        self.sign = sign
        super().__init__(max_retries=Retry(0, read=False, redirect=False, raise_on_redirect=False), **kwargs)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        policy = self.policy
        method = (request.method or "GET").upper()
        path = urlsplit(request.url or "").path
        while True:
            signed = self.sign(request.copy())
            try:
                response = super().send(signed, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                error = exc.args[0] if exc.args else exc
                if isinstance(error, MaxRetryError) and error.reason is not None:
                    error = error.reason
                if not isinstance(error, Exception):
                    raise
                try:
                    policy = policy.increment(method, path, error=error)
                except Exception:
                    raise exc from None
                policy.sleep()
                continue
            has_retry_after = bool(response.headers.get("Retry-After"))
            if not policy.is_retry(method, response.status_code, has_retry_after):
                return response
            try:
                policy = policy.increment(method, path, response=response.raw)
            except MaxRetryError:
                return response  # raise_on_status=False: the caller inspects the last answer
            response.close()
            policy.sleep(response.raw)


# --------------------------------------------------------------------------------------------------
# Throttle


class Throttle:
    """At most `rate` request starts per second (rate <= 0: unlimited); thread-safe, no busy waiting."""

    def __init__(self, rate: float) -> None:
        self._lock = threading.Lock()
        self._next = 0.0
        self.rate = rate

    @property
    def rate(self) -> float:
        return self._rate

    @rate.setter
    def rate(self, value: float) -> None:
        self._rate = float(value)
        self._interval = 1.0 / self._rate if self._rate > 0 else 0.0

    def wait(self) -> float:
        """Blocks until this caller may start a request; returns the seconds waited."""
        if self._interval <= 0:
            return 0.0
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self._interval
        delay = slot - now
        if delay > 0:
            time.sleep(delay)
        return max(0.0, delay)


_THROTTLES: dict[str, Throttle] = {}
_THROTTLES_LOCK = threading.Lock()


def throttle_key(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}:{parts.port or ''}{parts.path.rstrip('/')}"


def throttle_for(url: str, requests_per_second: float) -> Throttle:
    """The shared throttle of one shop base URL; the latest configured rate wins."""
    key = throttle_key(url)
    with _THROTTLES_LOCK:
        throttle = _THROTTLES.get(key)
        if throttle is None:
            throttle = _THROTTLES[key] = Throttle(requests_per_second)
        elif throttle.rate != float(requests_per_second):
            throttle.rate = requests_per_second
        return throttle


# --------------------------------------------------------------------------------------------------
# URL policy


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_shop_url(settings: ShopSettings) -> str:
    """The base URL without a trailing slash; raises ConnectionFailure when it must not be used."""
    url = (settings.url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConnectionFailure(
            f"The shop URL '{safe_url(url) if parts.scheme else url}' is not an http(s) address; "
            "enter it like https://shop.example.com"
        )
    if parts.username or parts.password:
        raise ConnectionFailure("The shop URL must not contain a user name or password; use the key fields")
    if parts.query or parts.fragment:
        raise ConnectionFailure("The shop URL must not contain a query string or fragment")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname) and not settings.allow_insecure_http:
        raise ConnectionFailure(
            f"Refusing plain HTTP to {parts.hostname}: keys and orders would cross the network unencrypted. "
            "Use https://, or enable 'allow insecure HTTP' (allow_insecure_http) for this shop if you "
            "really mean it."
        )
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


# --------------------------------------------------------------------------------------------------
# Session


def _describe_transport_error(exc: Exception) -> str:
    # After retries urllib3 wraps the last error in MaxRetryError, which requests re-wraps again.
    cause: object = exc.args[0] if exc.args else None
    if isinstance(cause, MaxRetryError) and cause.reason is not None:
        cause = cause.reason
    if isinstance(exc, requests.exceptions.SSLError) or isinstance(cause, SSLError):
        return "the TLS certificate could not be verified (or the TLS handshake failed)"
    if isinstance(cause, NewConnectionError):
        pass  # refused / unresolvable: told apart by the text below
    elif isinstance(exc, requests.exceptions.ConnectTimeout) or isinstance(cause, ConnectTimeoutError):
        return "connecting timed out"
    if isinstance(exc, requests.exceptions.ReadTimeout) or isinstance(cause, ReadTimeoutError):
        return "the shop did not answer in time"
    if isinstance(exc, requests.exceptions.Timeout):
        return "timed out"
    text = f"{exc} {cause!r}"
    lowered = text.lower()
    if "name or service not known" in lowered or "nodename nor servname" in lowered or \
            "getaddrinfo failed" in lowered or "name resolution" in lowered:
        return "the host name could not be resolved"
    if "refused" in lowered:
        return "the connection was refused"
    if "reset" in lowered or "aborted" in lowered:
        return "the connection was reset"
    if "remote end closed" in lowered or "remotedisconnected" in lowered:
        return "the shop closed the connection without answering"
    return "the connection failed"


class ShopSession(requests.Session):
    """A requests.Session with the shop policy applied to every request (see the module docstring)."""

    def __init__(self, settings: ShopSettings, *, max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
                 sign: Callable[[requests.PreparedRequest], requests.PreparedRequest] | None = None) -> None:
        super().__init__()
        self.base_url = check_shop_url(settings)
        self.settings = settings
        self.timeout = settings.timeout
        self.retries = max(0, int(settings.retries))
        self.request_counts: Counter[str] = Counter()
        self.throttle = throttle_for(self.base_url, settings.requests_per_second)
        self.verify = True
        policy = make_retry(settings, max_retry_after=max_retry_after)
        adapter: HTTPAdapter = SigningAdapter(policy, sign) if sign else HTTPAdapter(max_retries=policy)
        self.mount("https://", adapter)
        self.mount("http://", adapter)
        self.headers["User-Agent"] = "trayapp-shop-sync/1"
        self.headers["Accept"] = "application/json"
        register_secret(settings.key)
        register_secret(settings.secret)

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        method_text = method.decode() if isinstance(method, bytes) else method
        url_text = url.decode() if isinstance(url, bytes) else url
        kwargs.setdefault("timeout", self.timeout)
        kwargs["verify"] = True  # never switched off, whatever a caller passes
        kwargs.setdefault("allow_redirects", False)  # a redirected POST would silently turn into a GET
        self.throttle.wait()
        self.request_counts[method_text.upper()] += 1
        try:
            return super().request(method_text, url_text, *args, **kwargs)
        except requests.exceptions.InvalidURL:
            raise ConnectionFailure(f"Invalid shop URL: {safe_url(url_text)}") from None
        except requests.exceptions.RequestException as exc:
            reason = _describe_transport_error(exc)
            detail = redact(f"{type(exc).__name__}")
            retried = f" (after {self.retries} retries)" if self.retries else ""
            message = f"Cannot reach the shop: {method_text.upper()} {safe_url(url_text)}: {reason}{retried} [{detail}]"
            log.warning("%s", message)
            raise ConnectionFailure(message) from None


def make_session(settings: ShopSettings, *, max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
                 sign: Callable[[requests.PreparedRequest], requests.PreparedRequest] | None = None
                 ) -> ShopSession:
    """A session with the shared policy for one shop. `sign` (e.g. OAuth 1.0a) signs every attempt."""
    return ShopSession(settings, max_retry_after=max_retry_after, sign=sign)


def chunked(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
