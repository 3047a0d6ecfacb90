# Teams (issue 10): /team, invites, joining and leaving.
team-none = Вы пока не в команде. Создать свою: <code>/team new Название</code>. Чтобы войти в команду, попросите у руководителя ссылку-приглашение.
team-head-only = Это может только руководитель команды.
team-member-not-found = Такого участника в вашей команде нет.
team-invite-not-found = Такой ссылки у вашей команды нет.
team-already-member = Вы уже в команде. Чтобы создать новую, сначала выйдите: /team leave
team-new-usage = Напишите название: <code>/team new Отдел продаж</code>
team-created = ✅ Команда <b>{ $name }</b> создана, вы её руководитель. { $clients ->
    [0] {""}
    [one] Ваш { $clients } клиент теперь принадлежит команде.
    [few] Ваши { $clients } клиента теперь принадлежат команде.
   *[many] Ваши { $clients } клиентов теперь принадлежат команде.
}
    Пригласить менеджера: /team invite
team-invite-created = 🔗 Ссылка для входа в команду <b>{ $team }</b> ({ $kind ->
    [single] одноразовая
   *[many] для нескольких человек
}, действует до { $until }):
    { $link }
    Перешлите её менеджеру. Отозвать: /team invites
team-invite-too-many = Открытых ссылок уже { $limit }. Отзовите лишние: /team invites
team-invites-title = 🔗 Открытые ссылки команды:
team-invites-none = Открытых ссылок нет. Новая: /team invite
team-invite-line = { $kind ->
    [single] одноразовая
   *[many] многоразовая
}, до { $until }, использована { $used } раз
team-invite-revoke-button = ❌ Отозвать ссылку до { $until }
team-invite-revoked = Ссылка отозвана.
team-join-unknown = Эта ссылка-приглашение не найдена. Попросите у руководителя новую.
team-join-revoked = Эту ссылку руководитель отозвал. Попросите новую.
team-join-expired = Срок ссылки истёк. Попросите у руководителя новую.
team-join-used = По этой ссылке уже вошли: она одноразовая. Попросите у руководителя новую.
team-join-already-here = Вы уже в этой команде.
team-join-other-team = Вы уже в команде «{ $team }». Менеджер может быть только в одной команде: сначала выйдите из неё (/team leave).
team-join-offer = Вас приглашают в команду <b>{ $team }</b>{ $head ->
    [none] {""}
   *[other] {" "}(руководитель { $head })
}.
    { $clients ->
        [0] Ваши будущие клиенты будут принадлежать команде: руководитель видит их карточки и историю.
       *[other] Взять в команду ваших клиентов ({ $clients })? Тогда они будут принадлежать команде: руководитель видит их, а если вы уйдёте, клиенты останутся в команде.
    }
team-join-bring-button = ✅ Вступить и передать клиентов команде
team-join-keep-button = Вступить, клиентов оставить себе
team-join-button = ✅ Вступить
team-joined = ✅ Вы в команде <b>{ $team }</b>. { $clients ->
    [0] {""}
    [one] { $clients } клиент теперь принадлежит команде.
    [few] { $clients } клиента теперь принадлежат команде.
   *[many] { $clients } клиентов теперь принадлежат команде.
}
team-member-joined = 👋 { $name } вступил(а) в команду.
team-info = 👥 Команда <b>{ $team }</b>
    Руководитель: { $heads }
    Участников: { $count }
team-members-title = 👥 <b>{ $team }</b> — участники:
team-member-line = { $role ->
    [head] 👑
   *[other] 👤
} { $name } · { $clients ->
    [one] { $clients } клиент
    [few] { $clients } клиента
   *[many] { $clients } клиентов
}
team-member-card = { $role ->
    [head] 👑 руководитель
   *[other] 👤 менеджер
} <b>{ $name }</b>
team-make-head-button = 👑 Сделать руководителем
team-make-manager-button = 👤 Сделать менеджером
team-remove-button = 🚪 Исключить из команды
team-remove-ask = Исключить { $name } из команды? Клиенты команды ({ $clients }) перейдут вам, пока вы не передадите их другому (/handover). Личные заметки { $name } остаются у него.
team-remove-confirm-button = Да, исключить
team-cancel-button = Отмена
team-removed = { $name } больше не в команде. Вам перешли клиенты: { $clients }.
team-you-were-removed = Вас исключили из команды «{ $team }». Клиенты команды остались в команде; ваши личные клиенты и заметки — у вас.
team-remove-self = Себя исключить нельзя: чтобы уйти, /team leave
team-last-head = В команде должен остаться хотя бы один руководитель: сначала назначьте другого.
team-role-head = 👑 { $name } теперь руководитель.
team-role-manager = 👤 { $name } теперь менеджер.
team-leave-ask = Выйти из команды «{ $team }»? Клиенты команды останутся в ней (перейдут руководителю); личные клиенты и заметки останутся у вас.
team-leave-last-ask = Вы последний участник «{ $team }». Выйти и распустить команду? Клиенты останутся у вас.
team-leave-confirm-button = Да, выйти
team-leave-only-head = Вы единственный руководитель: сначала назначьте другого (/team members), потом выходите.
team-left = Вы вышли из команды. Руководителю перешли клиенты: { $clients }.
team-dissolved = Команда распущена, клиенты остались у вас.
team-rankings-on = Рейтинг включён: менеджеры видят своё место в /team.
team-rankings-off = Рейтинг выключен: менеджеры не видят мест.
team-rankings-usage = Рейтинг: <code>/team rankings on</code> или <code>/team rankings off</code>
team-usage =
    👥 Команда:
    /team — сводка команды
    /team new Название — создать команду
    /team invite — одноразовая ссылка; /team invite many — на 7 дней для нескольких
    /team invites — открытые ссылки
    /team members — участники, роли, исключить
    /team rankings on|off — показывать менеджерам их место
    /team log — журнал передач и вступлений
    /team leave — выйти из команды
