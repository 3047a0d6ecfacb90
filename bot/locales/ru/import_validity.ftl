## Импорт: какие колонки пропускаю и почему, годы рождения (ключи import-skip-*, import-preview-*)
import-preview-skipped = Не беру колонки:
import-skip-own = { $columns } — { $count ->
        [1] служебная колонка kambot: её читаю
       *[other] служебные колонки kambot: их читаю
    }, только когда присылаете весь экспорт (ZIP)
import-skip-unknown = { $columns } — не знаю такого поля
import-skip-duplicate = { $columns } — это поле уже взял из колонки левее
import-skip-empty = { $columns } — { $count ->
        [1] пустая
       *[other] пустые
    }, терять нечего
import-skip-no-header = { $columns } — без заголовка: назовите { $count ->
        [1] её
       *[other] их
    }, например «Телефон», и пришлите файл снова
import-skip-column-number = колонка { $number }
import-skip-more = …и ещё { $count }
import-preview-recent-birthdays = 🎂 { $count ->
        [1] Строка { $rows }: год рождения
       *[other] Строки { $rows }: годы рождения
    } меньше { $years } лет назад — оставляю, как в файле. Если год подставил Excel к дню и месяцу, сотрите его в ячейке.
