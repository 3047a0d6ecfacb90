# Dates and times that could mean two things (issue 15): the bot answers instead of guessing.
sale-date-yearless-ahead = “{ $date }” is still ahead this year, and a sale is saved once it has happened. If it was { $past }, type the date with the year. Nothing saved.
