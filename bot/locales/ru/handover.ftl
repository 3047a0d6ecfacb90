# /handover and /team log (issue 10)
handover-choose-source = 🔁 <b>Передача клиентов.</b> Чьих клиентов передать?
handover-source-button = { $name } · { $clients }
handover-no-clients = У участников команды нет клиентов для передачи.
handover-choose-how = Клиенты: <b>{ $name }</b> ({ $clients }). Передать всех, по тегу или выбрать?
handover-all-button = Всех ({ $clients })
handover-tags-button = 🏷 По тегу
handover-pick-button = ☑️ Выбрать клиентов
handover-cancel-button = Отмена
handover-choose-tag = Клиенты <b>{ $name }</b> с каким тегом передать?
handover-tag-button = #{ $tag } · { $clients }
handover-no-tags = У клиентов <b>{ $name }</b> нет тегов.
handover-pick-title = Отметьте клиентов: <b>{ $name }</b>. Выбрано: { $picked }.
handover-prev-button = ◀
handover-next-button = ▶
handover-done-button = Готово ({ $picked })
handover-choose-target = Кому передать { $chosen ->
    [all] всех клиентов
   *[other] выбранных клиентов ({ $chosen })
}: <b>{ $name }</b>?
handover-target-me = { $name } (вы)
handover-confirm = Передать от <b>{ $from }</b> к <b>{ $to }</b>:
    • клиентов: { $clients }
    • касаний: { $touches }
    • продаж: { $sales }
    • открытых обещаний: { $promises }
    • напоминаний: { $reminders }
    • общих заметок: { $notes }
    { $private ->
        [0] {""}
       *[other] Личные заметки 🔒 ({ $private }) остаются у автора и не передаются.
    }
    У { $from } доступ к этим клиентам пропадёт сразу.
handover-confirm-button = ✅ Передать
handover-done = ✅ Передано клиентов: { $clients }, от <b>{ $from }</b> к <b>{ $to }</b> (касаний { $touches }, продаж { $sales }, обещаний { $promises }, напоминаний { $reminders }).{ $skipped ->
    [0] {""}
   *[other] { " " }Ещё { $skipped } уже были переданы раньше — их не трогали.
}
handover-already-moved = Эти клиенты уже переданы (возможно, другим руководителем) — ничего не изменилось.
handover-received = 📥 <b>{ $head }</b> передал(а) вам клиентов от { $from }: { $clients }.
    { $names }{ $more ->
        [0] {""}
       *[other] { " " }и ещё { $more }
    }
    Вместе с историей: касаний { $touches }, продаж { $sales }, открытых обещаний { $promises }, напоминаний { $reminders }. Список: /clients
handover-lost = 📤 <b>{ $head }</b> передал(а) ваших клиентов ({ $clients }) участнику { $to }. Ваши личные заметки 🔒 остались у вас.
handover-cancelled = Передача отменена.
handover-same-member = Нельзя передать клиентов тому же участнику — выберите другого.
handover-empty = Не выбран ни один клиент.
handover-nothing = У { $name } нет клиентов команды для передачи.
handover-member-gone = Этого участника уже нет в вашей команде — ничего не передано.
handover-client-gone = Этот клиент уже не у этого участника.
handover-outdated = Этот диалог передачи устарел. Начните заново: /handover

team-log-title = 📜 <b>Журнал команды</b>{ $page ->
    [0] {""}
   *[other] , стр. { $page }
}
team-log-empty = 📜 Журнал команды пока пуст.
team-log-handover = { $when } 🔁 { $actor }: { $from } → { $to }, клиентов: { $clients }{ $names ->
    [none] {""}
   *[other] { " " }({ $names })
}
team-log-more = и ещё { $more }
team-log-create = { $when } 🏁 { $actor } создал(а) команду
team-log-join = { $when } 👋 { $actor } вступил(а) в команду
team-log-leave = { $when } 🚪 { $actor } вышел(ла) из команды
team-log-remove = { $when } ✖️ { $actor } исключил(а) { $from }
team-log-role-head = { $when } ⭐ { $actor } назначил(а) руководителем { $from }
team-log-role-manager = { $when } { $actor } сделал(а) менеджером { $from }
team-log-account-deleted = { $when } 🗑 Аккаунт участника удалён; клиенты команды переданы: { $to }
team-log-other = { $when } { $actor }: { $kind }
team-log-older-button = ◀ Раньше
team-log-newer-button = Позже ▶
