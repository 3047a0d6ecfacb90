"""Rendering shared by handlers and the notifier: what a message says and which buttons it carries.

Outside handlers/ so that bot.notifier can render a digest or a ping without importing routers."""
