"""Teams (issue 10): /team, joining by a link, members and roles."""
