## Какой это клиент: филиалы, похожие названия, текст без двоеточия

resolution-log-branch = Клиента «{ $query }» в базе нет, но есть похожий. Записать касание ему или создать «{ $query }» как нового клиента?
resolution-client-branch = 🔎 Клиента «{ $query }» нет, есть похожий. Открыть его или создать «{ $query }» как нового клиента?
resolution-contact-branch = Клиента «{ $query }» нет, есть похожий. Добавить <b>{ $name }</b> к нему или создать «{ $query }» как нового клиента?
resolution-offer-log = Похоже на касание с клиентом <b>{ $client }</b>. Записать?
resolution-btn-log = 📞 Записать касание: { $client }
resolution-bare-name = 🏢 Клиент <b>{ $client }</b>. Что сделать?
resolution-btn-open = 📂 Открыть карточку
resolution-btn-tap = 📞 Записать касание
resolution-btn-other = ✍️ Другой клиент…
resolution-type-name = Напишите название клиента — предложу записать касание или открыть карточку.
resolution-btn-wrong-client = 🏢 Не тот клиент
resolution-contact-move-ask = К какому клиенту перенести <b>{ $name }</b>? Напишите название.
resolution-contact-moved = ✅ <b>{ $name }</b> теперь в контактах клиента <b>{ $client }</b>.
resolution-move-none = Клиента «{ $query }» не нашёл. Напишите название ещё раз или /cancel.
