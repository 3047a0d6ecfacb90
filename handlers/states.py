"""FSM states for the few questions answered by typing."""

from aiogram.fsm.state import State, StatesGroup


class PrefInput(StatesGroup):
    timezone = State()
    digest = State()
    quiet = State()


class ClientInput(StatesGroup):
    field = State()  # a typed value for one client field; data: client_id, field


class ContactInput(StatesGroup):
    details = State()  # "/contact" details after choosing the client; data: client_id
    birthday = State()  # a birthday that did not parse, re-asked; data: draft
    field = State()  # a typed value for one contact field; data: contact_id, field


class ImportInput(StatesGroup):
    file = State()  # waiting for a CSV/XLSX document
    confirm = State()  # preview shown; data: file_id, file_name


class TouchInput(StatesGroup):
    client = State()  # the right client's name for a saved touch; data: touch_id
    due = State()  # a date for the next step; data: touch_id
    comment = State()  # the optional text after tap logging; data: touch_id
