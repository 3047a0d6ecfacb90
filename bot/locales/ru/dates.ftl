# Dates and times that could mean two things (issue 15): the bot answers instead of guessing.
sale-date-yearless-ahead = «{ $date }» в этом году ещё впереди, а продажу записываю, когда она уже случилась. Если это было { $past }, напишите дату с годом. Ничего не сохранил.
