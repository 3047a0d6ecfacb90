## Reading what the manager meant: review signs, contact lines (issue 15)

review-ask-sign =
    Отзыв клиента «{ $client }»: «{ $text }».
    В нём есть и хорошее, и плохое — какой это отзыв?
review-btn-positive = 👍 Хороший
review-btn-negative = 👎 Негативный
contact-got-role = 💼 Должность: { $role }
contact-got-phone = ☎️ Телефон: { $phone }
contact-got-email = ✉️ E-mail: { $email }
