## Formats shared by several replies (issue 15: one money, percent and duration format)
request-opened-closed = 🕒 Opened: { $when }
