"""The one typed answer of /privacy."""

from aiogram.fsm.state import State, StatesGroup


class PrivacyInput(StatesGroup):
    confirm_delete = State()  # waiting for the word; data: delete_for (the account asked for)
