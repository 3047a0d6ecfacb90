"""Reading what managers type: dates, times, amounts, names, phones, e-mails, timezones."""
