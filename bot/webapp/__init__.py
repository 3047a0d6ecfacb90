"""The Mini App's server side (issue 14): initData validation and the JSON API under /app/api."""
