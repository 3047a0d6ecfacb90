## Import: file limits and a failed import (import-file-* / import-failed keys)
import-file-too-many-lines = 📏 The file has more than { $limit } rows, counting empty ones. Delete empty and unneeded rows (or split the file) and send it again.
import-file-too-many-cells = 📏 The file has more than { $limit } cells, counting formatted empty ones. Delete unneeded rows and columns or split the file.
import-file-too-many-columns = 📏 A row has more than { $limit } columns — that is not a client base. Keep the columns you need (I read the first 100) and send it again.
import-file-cell-too-long = 📏 A cell holds more than { $limit } characters — no name or note is that long. Check the file and send it again.
import-file-unpacked-too-large = 📦 The table inside the file is too big: over { $limit_mb } MB unpacked. Remove what is not needed (formatted empty rows, extra sheets) and send it again.
import-failed = ❌ The import failed — nothing was imported, your base is as it was. Try again; if it happens again, send the file anew with /import.
