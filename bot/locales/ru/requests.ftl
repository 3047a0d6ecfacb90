## B2C: заявки и отзывы
request-usage =
    Откройте заявку клиента одним сообщением:
    <code>/request Ромашка не пришла доставка</code>
    Можно указать, когда клиент обратился: <code>/request Ромашка вчера в 14:30 не пришла доставка</code>
    Открытые заявки — <code>/request</code> без текста.
request-need-text = О чём заявка от «{ $client }»? Напишите одним сообщением, например: <code>/request { $client } не пришла доставка</code>
request-which-client = Кого вы имели в виду под «{ $query }»? Открою заявку, как только выберете:
request-client-not-found = Клиента «{ $query }» нет. Создать его и открыть заявку?
request-card-title = 📋 Заявка №{ $id } · <b>{ $client }</b>
request-opened = 🕒 Открыта: { $when } · ждёт { $ago }
request-responded = 💬 Ответ: { $when } — через { $took }
request-resolved = ✅ Решена: { $when } — за { $took }
request-breach-response = ⚠️ Нет ответа дольше { $sla } — SLA нарушен
request-breach-resolution = ⚠️ Не решена дольше { $sla } — SLA нарушен
request-btn-responded = 💬 Ответил
request-btn-resolved = ✅ Решено
request-btn-undo-request = ↩️ Отменить заявку
request-btn-undo-responded = ↩️ Отменить «Ответил»
request-btn-undo-resolved = ↩️ Отменить «Решено»
request-btn-client = 🏢 Клиент
request-btn-list = 📋 Открытые заявки
request-toast-resp = 💬 Ответ отмечен
request-toast-done = ✅ Заявка решена
request-toast-undone = ↩️ Отменено
request-toast-opened = 📋 Заявка открыта
request-already-resp = Ответ уже отмечен — время первого ответа не меняю.
request-already-done = Заявка уже решена — время решения не меняю.
request-deleted = ↩️ Заявка удалена.
request-too-late-to-delete = Заявку старше 10 минут не удаляю — она уже в KPI. Если вопрос решён, нажмите ✅ Решено.
request-not-found = Заявка не найдена — возможно, её уже удалили. Открытые заявки: /request
request-list-empty =
    🎉 Открытых заявок нет.
    Новая заявка: <code>/request Ромашка не пришла доставка</code>
request-list-title = 📋 <b>Открытые заявки: { $count }</b> (сначала самые старые; ⚠️ — SLA нарушен)
request-list-line = { $n }. { $flag }<b>{ $client }</b> — { $text } · { $age }{ $waiting }
request-no-answer = без ответа
request-list-page = Страница { $page } из { $pages }
request-list-sla = SLA: первый ответ — за { $response }, решение — за { $resolution }

dur-days = { $n } дн.
dur-hours = { $n } ч
dur-minutes = { $n } мин
dur-under-minute = меньше минуты

review-usage =
    Отзыв клиента: название, знак и, если хотите, текст.
    <code>/review Ромашка + спасибо за быструю доставку</code>
    <code>/review Ромашка - курьер опоздал на 2 часа</code>
    Вместо +/- можно 👍/👎 или «плюс»/«минус».
review-need-sign =
    Отзыв «{ $client }» хороший или плохой? Добавьте знак:
    <code>/review { $client } + спасибо</code> или <code>/review { $client } - долго ждали</code>
review-which-client = Кого вы имели в виду под «{ $query }»? Сохраню отзыв, как только выберете:
review-client-not-found = Клиента «{ $query }» нет. Создать его и сохранить отзыв?
review-saved-positive = 👍 Записал хороший отзыв · <b>{ $client }</b>
review-saved-negative = 👎 Записал негативный отзыв · <b>{ $client }</b>
review-negative-hint = Негативный отзыв считается в KPI. Разберитесь с ним: откройте заявку или позвоните клиенту.
review-btn-request = 📋 Открыть заявку
review-btn-call = 📞 Записать звонок
review-undone = ↩️ Отзыв удалён.
review-not-found = Отзыв не найден — возможно, его уже удалили.
review-request-text = Негативный отзыв
