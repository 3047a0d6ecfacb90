## Общие
error-apology = 😔 Что-то пошло не так, ваши данные в порядке. Попробуйте ещё раз через минуту. Если повторится — напишите в поддержку код <code>{ $ref }</code>.
throttled = ⏳ Слишком быстро — я не успеваю. Подождите пару секунд: последние сообщения я пропустил, отправьте их ещё раз.
not-allowed = 🔒 Это закрытый бот. Попросите администратора добавить ваш Telegram ID в список доступа.
callback-outdated = Эта кнопка устарела. Откройте меню заново: /help
unknown-command = 🤔 Не знаю команду { $command }. Все команды — /help
stray-text = Я пока не понял, что с этим сделать. 🙂 Список команд — /help, настройки — /settings.
unsupported-content = Такое я пока не умею обрабатывать. Команды — /help
cancelled = ❎ Отменено. Можно продолжать работу.
nothing-to-cancel = Отменять нечего — можно продолжать работу.
btn-skip = Пропустить
btn-back = ← Назад
btn-close = ✔️ Готово
btn-share-location = 📍 Отправить геопозицию
step-skipped = ⏭ Пропущено — оставил как есть.

## Команды (меню Telegram)
cmd-start = Начало работы и знакомство
cmd-help = Все команды
cmd-settings = Язык, часовой пояс, режим, дайджест
cmd-cancel = Выйти из текущего диалога
cmd-client = Карточка клиента: /client Ромашка
cmd-clients = Список клиентов и фильтры
cmd-contact = Добавить ЛПР: /contact Ромашка: Иван, закупки, др 12.03
cmd-import = Загрузить клиентов из CSV или Excel
cmd-export = Выгрузить всю базу в Excel и CSV
cmd-sale = Записать продажу: /sale Ромашка 150к
cmd-plan = План продаж
cmd-kpi = Мои KPI: план, темп, клиенты
cmd-request = Заявка клиента (B2C)
cmd-review = Отзыв клиента: + или -
cmd-team = Команда: сводка, приглашения, участники
cmd-handover = Передать клиентов другому менеджеру
cmd-demo = Демо: пример базы, чтобы попробовать

help =
    <b>kambot</b> — ваш карманный помощник аккаунт-менеджера.

    <b>Касания и заметки</b>
    /call Ромашка обсудили поставку, КП в пятницу — звонок одним сообщением
    /log Ромашка встреча в офисе, всё ок — любое касание; /log без текста — кнопками
    <code>Ромашка: письмо отправил прайс</code> — то же без команды
    /note Иван Петров: сын сдаёт ЕГЭ в июне #семья — личная заметка; /notes ЕГЭ — поиск
    /brief Ромашка — бриф перед звонком
    /today — что на сегодня: обещания, кому пора позвонить, дни рождения
    /birthdays — дни рождения на 30 дней
    /undo — отменить последнюю запись (10 минут)

    <b>Клиенты</b>
    /client Ромашка — карточка клиента (опечатки не страшны); нет такого — предложу создать
    /clients — список: все, ⚠️ пора связаться, 🔑 ключевые, архив, по тегу (/clients #vip)
    /contact Ромашка: Иван Петров, закупки, др 12 марта — добавить ЛПР
    /import — загрузить клиентов из CSV или Excel
    /export — выгрузить всю базу в Excel и CSV
    /privacy — что хранит kambot; выгрузить все мои данные; удалить аккаунт
    /forget Иван Петров — стереть данные человека по его просьбе

    <b>Продажи и KPI</b>
    /sale Ромашка 150к кабель вчера — записать продажу
    /plan 3 000 000 — план продаж на месяц (/plan 9 млн квартал); /plan — показать планы
    /kpi — где вы по плану и KPI, с темпом до конца месяца; /kpi квартал — за квартал
    /request Ромашка не пришла доставка — открыть заявку; /request — открытые заявки
    /review Ромашка + спасибо — отзыв клиента (+ или -)
    /demo — демо-режим с примером базы, чтобы попробовать /kpi и всё остальное; /demo off — выйти

    <b>Команда</b>
    /team new Отдел продаж — создать команду; /team invite — ссылка-приглашение
    /team — сводка команды (руководителю — таблица по менеджерам); /team members — участники
    /handover — передать клиентов одного менеджера другому (руководитель); /team log — журнал

    <b>Настройки</b>
    /start — знакомство: язык, часовой пояс, режим работы, время дайджеста
    /settings — изменить язык, часовой пояс, режим, дайджест, тихие часы, напоминания
    /cancel — выйти из любого диалога
    /help — эта справка

## Знакомство
start-welcome =
    👋 Привет! Я <b>kambot</b> — помню всех ваших клиентов, звонки и личные детали, напоминаю, когда пора позвонить или поздравить, и показываю, где вы по KPI.

    Четыре коротких вопроса — любой можно пропустить.
start-again =
    👋 С возвращением{ $name ->
        [none] !
       *[other] , { $name }!
    }
    Команды — /help, настройки — /settings.
onboarding-done =
    🎉 Готово! Всё можно поменять в /settings.
    Список команд — /help.

ask-language = 🌐 На каком языке говорим?
ask-timezone =
    🕒 Ваш часовой пояс? Сейчас: <b>{ $current }</b>.
    Напишите город («Москва», «Новосибирск») или смещение («+3», «UTC+5»), или отправьте геопозицию кнопкой ниже.
tz-placeholder = Город или +3
ask-mode = 💼 Как вы работаете? От этого зависят KPI, которые я покажу.
ask-digest = ☀️ Во сколько присылать утренний дайджест? Сейчас: <b>{ $current }</b>. Нажмите кнопку или напишите время, например 8:30.
ask-quiet = 🌙 Тихие часы: в это время я не присылаю напоминания. Выберите или напишите, например «22-7». «Выкл» — без тихих часов.

tz-suggest = Не уверен, что понял «{ $text }». Может быть, один из этих? Или напишите иначе, например «Москва» или «+3».
tz-not-understood = Не нашёл часовой пояс «{ $text }». Напишите крупный город рядом («Москва», «Екатеринбург») или смещение от UTC («+5»), или отправьте геопозицию.
tz-location-unknown = Не смог определить часовой пояс по этой точке. Напишите город или смещение, например «+3».
digest-not-understood = Не понял время. Напишите, например, «9», «8:30» или «10.15».
quiet-not-understood = Не понял. Напишите, например, «22-7» или «21:30–08:00», или «выкл».

set-lang-done = ✅ Язык: { $value }
set-tz-done = ✅ Часовой пояс: { $value }
set-mode-done = ✅ Режим работы: { $value }
set-digest-done = ✅ Утренний дайджест в { $value }
set-quiet-done = ✅ Тихие часы: { $value }

language-name-ru = Русский
language-name-en = English
mode-b2b-button = 🌾 B2B: развиваю базу клиентов
mode-b2c-button = 🎧 B2C: клиентский сервис
mode-kam-button = 👑 Ключевые клиенты (KAM)
mode-b2b-name = B2B, развитие базы
mode-b2c-name = B2C, клиентский сервис
mode-kam-name = ключевые клиенты
quiet-none = нет
quiet-off-button = Без тихих часов

## Настройки
settings-summary =
    ⚙️ <b>Настройки</b>
    🌐 Язык: { $language }
    🕒 Часовой пояс: { $timezone }
    💼 Режим: { $mode }
    ☀️ Дайджест: { $digest }
    🌙 Тихие часы: { $quiet }
    🔔 Дни рождения: { $lead ->
        [0] в сам день
        [one] за { $lead } день
        [few] за { $lead } дня
       *[other] за { $lead } дней
    }; контакт с ключевыми — раз в { $key_days } дн., с остальными — раз в { $regular_days } дн.
settings-btn-lang = 🌐 Язык
settings-btn-tz = 🕒 Часовой пояс
settings-btn-mode = 💼 Режим
settings-btn-digest = ☀️ Дайджест
settings-btn-quiet = 🌙 Тихие часы
settings-btn-reminders = 🔔 Напоминания
settings-reminders =
    🔔 <b>Напоминания</b>
    🎂 О днях рождения: { $lead ->
        [0] в сам день
        [one] за { $lead } день и в сам день
        [few] за { $lead } дня и в сам день
       *[other] за { $lead } дней и в сам день
    }
    🔑 Ключевым клиентам звонить раз в { $key_days } дн.
    👤 Остальным — раз в { $regular_days } дн.

    Первая строка кнопок — дни рождения, вторая — ключевые, третья — остальные.
lead-button = { $days ->
    [0] 🎂 в день
   *[other] 🎂 { $days } дн.
}
cadence-key-button = 🔑 { $days } дн.
cadence-regular-button = 👤 { $days } дн.
settings-invalid-value = Такого значения нет. Выберите из кнопок.
settings-cadence-range = Интервал — от 1 до 365 дней.

## Клиенты
client-usage =
    Напишите название клиента: <code>/client Ромашка</code>. Опечатки не страшны.
    Весь список — /clients
lookup-found-as = 🔎 Нашёл: <b>{ $name }</b>
lookup-ambiguous = 🔎 Точного совпадения с «{ $query }» нет. Кого открыть?
lookup-none = 🔎 Клиента «{ $query }» нет. Создать?
lookup-btn-create = ➕ Создать нового клиента
duplicate-found = «{ $name }» уже есть в базе. Открыть его или создать ещё одного с таким же названием?
duplicate-open = 📂 Открыть существующего
duplicate-create = ➕ Создать ещё одного
client-created-toast = ✅ Клиент создан
client-created = ✅ Клиент <b>{ $name }</b> создан.
saved-toast = ✅ Сохранено
saved = ✅ Сохранено.
archived-toast = 📦 В архиве
restored-toast = ♻️ Восстановлен
delete-confirm =
    🗑 Удалить <b>{ $name }</b> навсегда — вместе с контактами, касаниями, заметками и продажами?
    Это нельзя отменить. Если клиент просто больше не актуален — лучше 📦 в архив.
delete-confirm-yes = 🗑 Да, удалить навсегда
delete-confirm-no = ← Нет, оставить
client-deleted = 🗑 Клиент «{ $name }» удалён.
client-not-found = Клиент не найден — возможно, он удалён. Поиск: /client название
try-again-or-cancel = Попробуйте ещё раз или /cancel.
edit-what = ✏️ Что изменить? Клиент <b>{ $name }</b>
ask-choice-segment = Сегмент клиента <b>{ $name }</b>:
ask-choice-tier = Уровень клиента <b>{ $name }</b>:
ask-choice-status = Статус клиента <b>{ $name }</b>:
ask-choice-cadence = Как часто связываться? Клиент <b>{ $name }</b>
ask-choice-channel = Как предпочитает общаться клиент <b>{ $name }</b>?
ask-field-name = Новое название клиента <b>{ $name }</b>:
ask-field-tags = Теги клиента <b>{ $name }</b> через пробел, например: <code>#vip #опт</code>. «-» — убрать все.
ask-field-tax_id = ИНН клиента <b>{ $name }</b> (10 или 12 цифр). «-» — убрать.
ask-field-phone = Телефон клиента <b>{ $name }</b>, например <code>+7 999 123-45-67</code>. «-» — убрать.
client-invalid-value = Такого значения нет. Выберите из кнопок.
client-tax-id-invalid = Это не похоже на ИНН: нужно 10 или 12 цифр с верной контрольной суммой.
client-phone-invalid = Не понял номер. Пример: <code>+7 999 123-45-67</code> или <code>8 999 1234567</code>.
name-empty = Название пустое. Напишите, например: <code>/client Ромашка</code>
name-too-long = Слишком длинное название — до 200 символов.
name-no-letters = В названии нужны буквы или цифры, одних эмодзи мало 🙂

card-title = 🏢 <b>{ $name }</b>{ $tier ->
        [key] {" "}🔑
       *[other] {""}
    } · { $segment } · { $status }{ $archived ->
        [yes] {" "}· 📦 в архиве
       *[other] {""}
    }
card-tax-id = ИНН { $value }
card-channel = предпочитает: { $channel }
card-contacts-title = 👥 Контакты ({ $count }):
card-contacts-more = …и ещё { $count }
card-no-contacts = 👥 Контактов пока нет — добавьте: 👥 Контакты → ➕
card-birthday = 🎂 { $date }{ $days ->
        [0] {" "}— <b>сегодня!</b> 🎉
        [1] {" "}— завтра
       *[other] {" "}— через { $days } дн.
    }{ $turns ->
        [none] {""}
       *[other] {" "}({ $turns })
    }
card-last-touch = 📞 Последнее касание: { $date } ({ $days ->
        [0] сегодня
        [1] вчера
       *[other] { $days } дн. назад
    })
card-never-touched = 📞 Касаний ещё не было
card-checkin-overdue = ⏰ ⚠️ Пора связаться: просрочено на { $days } дн. (раз в { $cadence } дн.)
card-checkin-due = ⏰ Следующее касание { $days ->
        [0] сегодня
        [1] завтра
       *[other] через { $days } дн.
    } (раз в { $cadence } дн.)
card-checkin-off = ⏰ Напоминания о касаниях выключены (архив или пауза)
card-notes-title = 📝 Последние заметки:
card-sales-month = 💰 Продажи в этом месяце: { $amount }
card-owner = 👤 Ответственный: { $name }
card-btn-edit = ✏️ Изменить
card-btn-contacts = 👥 Контакты
card-btn-archive = 📦 В архив
card-btn-restore = ♻️ Из архива
card-btn-delete = 🗑 Удалить

field-name = Название
field-tags = Теги
field-tax_id = ИНН
field-phone = Телефон
field-segment = Сегмент
field-tier = Уровень
field-status = Статус
field-cadence = Частота
field-channel = Канал
tier-key = 🔑 Ключевой
tier-regular = Обычный
status-active = активный
status-paused = пауза
status-lost = потерян
channel-call = 📞 звонок
channel-message = 💬 сообщение
channel-email = ✉️ e-mail
channel-visit = 🚗 визит
channel-meeting = 🤝 встреча
channel-none = не важно
cadence-default = по умолчанию
cadence-days = раз в { $days } дн.
contacts-title = 👥 Контакты <b>{ $name }</b>: { $count }
contacts-btn-add = ➕ Добавить контакт

## Список клиентов
list-title = 📋 Клиентов: <b>{ $all }</b> · ⚠️ пора связаться: { $overdue } · 🔑 ключевых: { $key } · 📦 в архиве: { $archived }
list-empty = { $filter ->
        [overdue] 🎉 Просроченных нет — все на связи.
        [key] Ключевых клиентов пока нет. Отметьте: карточка → ✏️ → Уровень.
        [archived] Архив пуст.
        [tag] С этим тегом клиентов нет.
       *[other] Клиентов пока нет. Добавьте первого: <code>/client Ромашка</code> — или загрузите таблицу: /import
    }
list-filter-all = Все
list-filter-overdue = ⚠️ Пора связаться
list-filter-key = 🔑 Ключевые
list-filter-archived = 📦 Архив
list-filter-tag = 🏷 #{ $tag }
list-page = стр. { $page } из { $pages } ({ $total })
list-btn-all = Все
list-btn-overdue = ⚠️ Просрочено
list-btn-key = 🔑 Ключевые
list-btn-archived = 📦 Архив

## Контакты (ЛПР)
contact-usage =
    Добавить ЛПР одним сообщением:
    <code>/contact Ромашка: Иван Петров, закупки, др 12 марта</code>
    Можно добавить телефон и почту: <code>/contact Ромашка: Мария, финдиректор, 12.03.1985, +7 999 123-45-67, maria@romashka.ru</code>
contact-added = ✅ Контакт добавлен: <b>{ $name }</b> · клиент <b>{ $client }</b>.
contact-problem-birthday-invalid = ⚠️ Не понял дату рождения «{ $part }» — контакт сохранён без неё.
contact-problem-phone-invalid = ⚠️ «{ $part }» не похоже на телефон — не сохранил. Исправить: 👤 Контакт → Телефон.
contact-problem-email-invalid = ⚠️ «{ $part }» не похоже на e-mail — не сохранил. Исправить: 👤 Контакт → E-mail.
contact-ask-birthday = 🎂 Когда день рождения? Контакт: { $name }. Например: <code>12.03</code>, <code>12 марта</code>, <code>12.03.1980</code>, <code>March 12</code>. Или /cancel.
contact-birthday-invalid = Не понял дату. Примеры: <code>12.03</code>, <code>12 марта</code>, <code>12/03/1980</code>, <code>March 12</code>.
contact-email-invalid = Это не похоже на e-mail. Пример: <code>ivan@romashka.ru</code>
contact-which-client = Кому добавить <b>{ $name }</b>? Точного совпадения с «{ $query }» нет:
contact-client-not-found = Клиента «{ $query }» нет. Создать его и добавить <b>{ $name }</b>?
contact-not-found = Контакт не найден — возможно, он удалён.
contact-btn-open = 👤 Контакт
contact-btn-client = 🏢 Карточка клиента
btn-undo = ↩️ Отменить
contact-field-name = Имя
contact-field-role = Должность
contact-field-phone = Телефон
contact-field-email = E-mail
contact-field-birthday = 🎂 ДР
contact-ask-name = Новое имя для { $name }:
contact-ask-role = Должность { $name } (например, «закупки», «финдиректор»). «-» — убрать.
contact-ask-phone = Телефон контакта { $name }. «-» — убрать.
contact-ask-email = E-mail контакта { $name }. «-» — убрать.
contact-ask-details =
    Кого добавить к клиенту <b>{ $name }</b>? Одним сообщением:
    <code>Иван Петров, закупки, др 12 марта</code>
contact-delete-confirm = 🗑 Удалить контакт <b>{ $name }</b>? Заметки о нём тоже удалятся.
contact-deleted-toast = 🗑 Удалён
contact-deleted = 🗑 Контакт «{ $name }» удалён.

## Импорт и экспорт
import-intro =
    📥 Пришлите файл <b>CSV</b> или <b>Excel (XLSX)</b> со списком клиентов — документом, не фото.
    Узнаю колонки: Клиент/Компания, ИНН, Телефон, Контакт/ЛПР, Должность, E-mail, День рождения, Теги, Сегмент, Уровень, Статус, Частота, Канал. Одна строка — один контакт; строки одного клиента объединю.
    Сначала покажу, что понял, и импортирую только после подтверждения. Если в файле есть ошибки — не импортирую ничего и пришлю список строк.
    📦 Переносите или восстанавливаете базу? Пришлите архив ZIP (или книгу Excel) из /export как есть — вернётся всё: касания, заметки, продажи, планы, напоминания. Таблицу касаний, заметок или продаж добавлю как касания, заметки или продажи.
    До { $limit_mb } МБ и { $max_rows } строк. Выйти — /cancel.
import-photo = 📷 Это фото, а нужен файл. Пришлите таблицу как документ: 📎 → Файл → CSV или XLSX.
import-waiting-file = Жду файл CSV или XLSX (📎 → Файл). Или /cancel.
import-file-too-large = 📦 Файл больше { $limit_mb } МБ — такой не возьму. Разбейте его на части или уберите лишние колонки.
import-file-empty = Файл пустой — в нём нет ни одной строки с данными.
import-file-no-header = Не нашёл строку заголовков. Первая строка должна называть колонки: Клиент, ИНН, Телефон…
import-file-no-client-column =
    Не нашёл колонку с названием клиента. Назовите её «Клиент» или «Компания».
    Колонки в файле: { $headers }
import-file-too-many-rows = Слишком много строк: больше { $limit }. Разбейте файл на части.
import-file-unsupported = Такой формат я не читаю. Нужен CSV или XLSX (старый .xls сохраните в Excel как .xlsx).
import-file-encoding = Не смог прочитать текст: похоже, в файле смешаны кодировки. Сохраните его заново как «CSV UTF-8» или XLSX.
import-file-macros = В файле макросы — такой не открываю. Сохраните как обычный .xlsx.
import-file-corrupt = Файл повреждён или это не таблица. Откройте его в Excel и сохраните заново.
import-note-formulas = 🧮 В файле есть формулы — беру их посчитанные значения.
import-note-sheet = 🗂 Лист: «{ $sheet }»
import-note-macros = ⚠️ В книге есть макросы — я их не запускаю, беру только значения.
import-note-columns = ⚠️ Колонки дальше сотой не читаю.
import-error-name-empty = пустое название клиента
import-error-name-no-letters = в названии нет букв и цифр
import-error-birthday = не понял дату
import-error-tax-id = неверный ИНН
import-error-phone = не понял телефон
import-error-email = неверный e-mail
import-error-too-long = слишком длинное значение
import-error-formula = формула вместо значения
import-error-value = непонятное значение
import-error-conflict = противоречит предыдущей строке этого клиента
import-error-empty = пустая ячейка, а без неё никак
import-error-date = не понял дату или время
import-error-amount = не понял сумму
import-error-amount-not-positive = сумма должна быть больше нуля
import-error-amount-negative = сумма не может быть меньше нуля
import-error-amount-precision = у этой валюты меньше знаков после запятой
import-error-currency = не знаю такую валюту — нужен код вроде RUB или USD
import-error-period-start = это не первый день периода
import-error-line = Строка { $row }, «{ $column }»: { $reason } — «{ $value }»
import-rejected = ❌ Ничего не импортировал: { $errors } { $errors ->
        [one] ошибка
        [few] ошибки
       *[many] ошибок
    } в { $rows } { $rows ->
        [one] строке
       *[many] строках
    }. Исправьте и пришлите файл снова.
import-more-errors = …и ещё { $count }. Полный список — в файле ниже.
import-report-row = Строка
import-report-column = Колонка
import-report-reason = Причина
import-report-value = Значение
import-preview-title = 📄 В файле { $rows } { $rows ->
        [one] строка
        [few] строки
       *[many] строк
    }: <b>{ $clients }</b> { $clients ->
        [one] клиент
        [few] клиента
       *[many] клиентов
    } и { $contacts } { $contacts ->
        [one] контакт
        [few] контакта
       *[many] контактов
    }.
import-preview-mapping = Колонки:
import-preview-first = Первые клиенты:
import-field-client = клиент
import-field-tax_id = ИНН
import-field-phone = телефон
import-field-segment = сегмент
import-field-tier = уровень
import-field-status = статус
import-field-cadence = частота контакта
import-field-channel = канал
import-field-tags = теги
import-field-contact_name = контакт (ЛПР)
import-field-contact_role = должность
import-field-contact_phone = телефон контакта
import-field-contact_email = e-mail контакта
import-field-birthday = день рождения
import-btn-go = ✅ Импортировать ({ $clients })
import-btn-cancel = ✖️ Отмена
import-cancelled = Импорт отменён — ничего не изменилось.
import-progress = ⏳ Импортирую… { $done } из { $total }
import-done =
    ✅ Импорт завершён.
    Новых клиентов: <b>{ $created }</b>; уже были в базе: { $existing }.
    Контактов добавлено: { $contacts }; уже были: { $contacts_existing }.
    Список — /clients
export-caption = 📤 Вся ваша база: клиентов { $clients }, касаний { $touches }, заметок { $notes }, продаж { $sales }, а ещё запросы, отзывы, планы, напоминания и настройки. Чтобы перенести базу или вернуть её, пришлите архив ZIP (в нём kambot.json) или эту книгу Excel в /import — всё восстановится.

## Касания
call-usage =
    Записать звонок одним сообщением:
    <code>/call Ромашка обсудили поставку, КП в пятницу</code>
    Другие касания: <code>/log Ромашка встреча в офисе, всё ок</code> — или просто <code>Ромашка: письмо отправил прайс</code>.
log-usage =
    Напишите клиента и что было: <code>/log Ромашка встреча в офисе, всё ок</code>
    Или /log без текста — выберу клиента кнопками.
log-which-client = Кого вы имели в виду под «{ $query }»? Запишу касание, как только выберете:
log-client-not-found = Клиента «{ $query }» нет. Создать его и записать касание?
log-no-clients = Клиентов пока нет. Добавьте первого: <code>/client Ромашка</code>
log-pick-client = 📞 С кем было касание? (⚠️ — пора связаться)
log-pick-kind = Какое касание? Клиент <b>{ $client }</b>
log-pick-outcome = { $kind } · <b>{ $client }</b> — чем закончилось?
log-add-comment = ✍️ Можно дописать комментарий одним сообщением — например «обсудили цены, КП в пятницу». Или просто продолжайте работу.
touch-saved = ✅ Записал: { $icon } { $kind } · <b>{ $client }</b> · { $when }
touch-outcome = { $icon } { $outcome }
touch-next-step = ➡️ След. шаг: { $step } — <b>{ $due }</b>
touch-next-step-undated = ➡️ След. шаг: { $step } (без срока)
touch-next-checkin = ⏰ Следующее касание { $days ->
        [0] сегодня
        [1] завтра
       *[other] через { $days } дн.
    }
touch-btn-kind = 🔄 Тип
touch-btn-due = 📅 Срок
touch-btn-client = 🏢 Не тот клиент
touch-ask-kind = Какой это был тип касания?
touch-ask-due = 📅 Когда следующий шаг? Выберите или напишите: «в пятницу», «12.03», «через 2 недели», «завтра в 15».
touch-ask-client = Какой клиент на самом деле? Напишите название.
touch-client-choose = Не нашёл точно. Выберите клиента:
touch-undone = ↩️ Касание удалено.
touch-not-found = Касание не найдено — возможно, оно уже удалено.
touch-due-not-understood = Не понял дату. Примеры: «в пятницу», «12.03», «через 2 недели», «завтра в 15».
touch-problem-next-step-past = ⚠️ Дата следующего шага уже прошла. Нажмите 📅 Срок, чтобы поставить новую.
touch-problem-date-invalid = ⚠️ В тексте есть дата, которой не бывает (например, 31 февраля) — срок не поставил. Нажмите 📅 Срок.
touch-problem-empty = {""}
promise-done-toast = ✅ Обещание выполнено
promise-btn-done = ✅ Сделано: { $step }
kind-call = звонок
kind-meeting = встреча
kind-message = сообщение
kind-email = письмо
kind-visit = визит
outcome-positive = договорились
outcome-neutral = нейтрально
outcome-negative = отказ
day-relative = { $delta ->
        [-1] вчера
        [0] сегодня
       *[1] завтра
    }
due-tomorrow = Завтра
due-3d = Через 3 дня
due-week = Через неделю
due-2w = Через 2 недели
due-none = Без срока

## Заметки
note-usage =
    Личная заметка о человеке или клиенте:
    <code>/note Иван Петров: сын сдаёт ЕГЭ в июне #семья</code>
    Приватно — добавьте 🔒 или #private. Напоминание — «напомни 5 июня спросить, как сдал».
    Поиск по заметкам: <code>/notes ЕГЭ</code> или <code>/notes #семья</code>
note-saved = 📝 Заметка сохранена · <b>{ $about }</b>{ $private ->
        [yes] {" "}🔒 (приватная)
       *[other] {""}
    }
note-remind = ⏰ Напомню { $when }: { $what }
note-problem-date-invalid = ⚠️ Дата напоминания не существует — напоминание не поставил.
note-problem-remind-past = ⚠️ Дата напоминания уже прошла — напоминание не поставил.
note-problem-remind-no-date = ⚠️ Не нашёл, когда напомнить, — напоминание не поставил. Добавьте дату, например «напомни в пятницу в 10».
note-problem-empty = 🤔 В заметке нет текста — ничего не сохранил. Пример: <code>/note Ромашка: сын сдаёт ЕГЭ в июне</code>
note-which = Кого вы имели в виду под «{ $query }»?
note-target-not-found = Не нашёл «{ $query }» ни среди клиентов, ни среди контактов. Добавьте: /client или /contact
note-not-found = Заметка не найдена — возможно, уже удалена.
note-undone = ↩️ Заметка удалена.
notes-usage = Что искать? Например: <code>/notes ЕГЭ</code> или <code>/notes #семья</code>
notes-none = По «{ $query }» заметок нет.
notes-found = 🔎 Нашёл заметок: { $count }

## Бриф
brief-usage = Бриф перед звонком: <code>/brief Ромашка</code>
brief-not-found = Клиента «{ $query }» нет. Поиск: /client
brief-title = 📋 <b>Бриф: { $name }</b>
brief-touches = <b>Последние касания</b>
brief-no-touches = ещё не было
brief-people = <b>Люди</b>
brief-no-people = контактов пока нет — /contact
brief-promises = <b>Открытые обещания</b>
brief-no-promises = Открытых обещаний нет.
card-btn-log = 📞 Касание
card-btn-brief = 📋 Бриф
card-btn-history = 🗂 История
card-promises-title = ➡️ Обещания:
history-title = 🗂 <b>{ $name }</b> — история, стр. { $page }
history-empty = Пока пусто: запишите касание — /log

## Описания команд
cmd-call = Записать звонок: /call Ромашка текст
cmd-log = Записать касание (или /log — кнопками)
cmd-note = Личная заметка: /note Иван: …
cmd-notes = Поиск по заметкам
cmd-brief = Бриф перед звонком
cmd-undo = Отменить последнюю запись

## Напоминания
rem-birthday = 🎂 { $days ->
        [0] <b>Сегодня</b> день рождения
        [1] <b>Завтра</b> день рождения
       *[other] Через { $days } дн. ({ $date }) день рождения
    }: <b>{ $name }</b> ({ $client }){ $turns ->
        [none] .
       *[other] {""} — { $turns }.
    }
rem-checkin = ⏰ Пора связаться · <b>{ $client }</b>: { $days ->
        [-1] касаний ещё не было.
        [0] последнее касание сегодня.
       *[other] последнее касание { $days } дн. назад.
    }
rem-followup = ➡️ Обещание · <b>{ $client }</b>: { $step }
rem-note = 📝 Напоминание — <b>{ $about }</b>: { $text }
rem-btn-done = ✅ Готово
rem-btn-log = 📞 Записать касание
rem-snooze-1h = ⏰ 1 ч
rem-snooze-tomorrow = ⏰ Завтра
rem-snooze-3d = ⏰ 3 дня
rem-snooze-week = ⏰ Неделя
rem-done = ✅ Сделано.
rem-done-toast = ✅ Готово
rem-snoozed = ⏰ Отложено до { $when }.
rem-snoozed-toast = ⏰ Отложено
rem-log-how = 📞 Какое было касание?
rem-not-found = Напоминание не найдено.

## Сегодня и дни рождения
today-title = ☀️ <b>На сегодня</b>
today-empty = ☀️ На сегодня всё чисто: просроченных касаний, обещаний и дней рождения нет. 🎉
today-followups = ➡️ <b>Обещания ({ $count })</b>
today-overdue = ⚠️ <b>Пора связаться ({ $count })</b>
today-overdue-line = • <b>{ $client }</b>{ $days ->
        [0] {" "}— сегодня
       *[other] {" "}— просрочено на { $days } дн.
    }
today-birthdays = 🎂 <b>Дни рождения</b>
birthday-line = • { $date }: <b>{ $name }</b> ({ $client }){ $days ->
        [0] {" "}— <b>сегодня!</b>
        [1] {" "}— завтра
       *[other] {" "}— через { $days } дн.
    }{ $turns ->
        [none] {""}
       *[other] , { $turns }
    }
birthdays-title = 🎂 <b>Дни рождения в ближайшие 30 дней: { $count }</b>
birthdays-empty = 🎂 В ближайшие 30 дней дней рождения нет. Добавьте даты: /contact Ромашка: Иван, др 12 марта
cmd-today = Что на сегодня
cmd-birthdays = Дни рождения на 30 дней
rem-weekly =
    📊 <b>Итоги прошлой недели</b>
    Касаний: <b>{ $touches }</b>, клиентов: { $clients }.
    { $overdue ->
        [0] Просроченных касаний нет — отлично!
       *[other] ⚠️ Сейчас пора связаться: { $overdue } — список в /today.
    }

# The chat's menu button when WEBAPP_URL is set (the Mini App, issue 14).
webapp-menu-button = 📊 Дашборд
