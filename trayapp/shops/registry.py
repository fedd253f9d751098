"""Shop platform -> connector."""

from __future__ import annotations

from trayapp.errors import ConfigError
from trayapp.shops.base import ShopConnector, ShopSettings

PLATFORMS: tuple[str, ...] = ("woocommerce",)


def open_shop(settings: ShopSettings) -> ShopConnector:
    """The connector for settings.platform; ConfigError for an unknown platform."""
    platform = (settings.platform or "").strip().lower()
    if platform == "woocommerce":
        from trayapp.shops.woocommerce import WooCommerceConnector

        return WooCommerceConnector(settings)
    known = ", ".join(PLATFORMS)
    raise ConfigError(f"unknown shop platform '{settings.platform}'; known platforms: {known}", key="platform")
