"""FSM states for the few questions answered by typing."""

from aiogram.fsm.state import State, StatesGroup


class PrefInput(StatesGroup):
    timezone = State()
    digest = State()
    quiet = State()
