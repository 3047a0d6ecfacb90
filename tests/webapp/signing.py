"""initData as Telegram signs it, written from its documentation ("Validating data received via
the Mini App"), independently of the code under test: secret_key = HMAC_SHA256(key="WebAppData",
msg=bot_token); hash = hex HMAC_SHA256(key=secret_key, msg=data_check_string), where the
data_check_string is every `key=value` but hash, sorted by key, joined by "\\n"."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from urllib.parse import urlencode

MAX_AGE = timedelta(hours=24)  # the tests' WEBAPP_MAX_AGE


def sign_init_data(bot_token: str, telegram_id: int, auth_date: datetime) -> str:
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(
            {"id": telegram_id, "first_name": "Анна", "language_code": "ru"},
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        "auth_date": str(int(auth_date.timestamp())),
    }
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)
