## Import: which columns are skipped and why, birth years (import-skip-*, import-preview-* keys)
import-preview-skipped = Not taking these columns:
import-skip-own = { $columns } — { $count ->
        [1] kambot's own column: I read it
       *[other] kambot's own columns: I read them
    } only when you send the whole export back (the ZIP)
import-skip-unknown = { $columns } — not a field I know
import-skip-duplicate = { $columns } — I already take this field from a column to the left
import-skip-empty = { $columns } — empty, nothing to lose
import-skip-no-header = { $columns } — no header: name { $count ->
        [1] it
       *[other] them
    }, e.g. "Phone", and send the file again
import-skip-column-number = column { $number }
import-skip-more = …and { $count } more
import-preview-recent-birthdays = 🎂 { $count ->
        [1] Row { $rows }: the birth year is
       *[other] Rows { $rows }: the birth years are
    } less than { $years } years ago — kept as in the file. If Excel added the year to a day and month, delete it in the cell.
