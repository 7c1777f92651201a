"""Signing in beyond the password: server-known sessions, the second factor (TOTP with recovery
codes), the password blocklist and the region's sign-in policy."""
