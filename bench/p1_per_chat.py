"""P1 (bench/bench_logging.py) with replies matched per chat, for a bot that handles chats
concurrently.

bench_logging.match_replies assumes the bot handles updates one at a time in update_id order:
one scan over all calls takes each update's answer as the first later reply to its chat. With
chats handled side by side (bot/polling.py) a reply to a later update of another chat may come
first, and that scan skips it. Within one chat the order still holds, so here the n-th reply to
a chat answers the chat's n-th update. For a bot that handles updates in order both matchings
give the same answers, so figures from before and after the change compare.

Run: .venv/bin/python -m bench.p1_per_chat [--updates N] [--users U]
"""

from __future__ import annotations

from collections import defaultdict, deque

from bench import bench_logging
from bench.bench_logging import Pushed, ReplyTest, call_chat_id
from tests.fakes.telegram_api import Call


def match_per_chat(pushed: list[Pushed], calls: list[Call], is_reply: ReplyTest) -> list[Call]:
    """The answer to each update, in pushed order (a prefix if some are missing)."""
    by_chat: dict[int | None, deque[Call]] = defaultdict(deque)
    for call in calls:
        by_chat[call_chat_id(call)].append(call)
    answers: list[Call] = []
    for update in pushed:
        queue = by_chat[update.chat_id]
        while queue and not (queue[0].at >= update.at and is_reply(update, queue[0])):
            queue.popleft()
        if not queue:
            break
        answers.append(queue.popleft())
    return answers


def main(argv: list[str] | None = None) -> None:
    bench_logging.match_replies = match_per_chat
    bench_logging.main(argv)


if __name__ == "__main__":
    main()
