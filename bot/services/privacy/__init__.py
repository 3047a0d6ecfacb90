"""Data rights (issue 10 item 5): what kambot keeps, the export of all of one's data, deleting
one's account, and erasing one decision-maker on their request (/forget)."""
