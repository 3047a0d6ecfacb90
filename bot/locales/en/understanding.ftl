## Reading what the manager meant: review signs, contact lines (issue 15)

review-ask-sign =
    A review from “{ $client }”: “{ $text }”.
    It has both good and bad words — which is it?
review-btn-positive = 👍 Positive
review-btn-negative = 👎 Negative
contact-got-role = 💼 Role: { $role }
contact-got-phone = ☎️ Phone: { $phone }
contact-got-email = ✉️ E-mail: { $email }
