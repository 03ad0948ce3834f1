//! A table read from a file (a spreadsheet to import), kept compactly: its rows in one text,
//! cells apart by U+001F and rows by U+001E. Neither can be in text (see [`crate::text`]; cells
//! are cleaned on the way in), so 200,000 rows of a dozen cells cost little more than the file,
//! where a `String` a cell cost four times as much.

const CELL: char = '\u{1f}';
const ROW: char = '\u{1e}';

/// A header row and the rows under it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    header: Vec<String>,
    body: String,
    rows: usize,
    cells: usize,
}

/// One row of a [`Table`].
#[derive(Clone, Copy, Debug)]
pub struct Row<'a>(&'a str);

impl<'a> Row<'a> {
    /// Its cells, left to right (a row ends at its last filled cell).
    pub fn cells(self) -> impl Iterator<Item = &'a str> {
        self.0.split(CELL)
    }

    /// The cell in column `i`, empty past the row's end.
    pub fn cell(self, i: usize) -> &'a str {
        self.cells().nth(i).unwrap_or("")
    }
}

impl Table {
    /// A table with this header and no rows yet.
    pub fn new(header: Vec<String>) -> Table {
        let header = header
            .iter()
            .map(|h| crate::text::clean(h).into_owned())
            .collect();
        Table {
            header,
            ..Table::default()
        }
    }

    /// Makes room for rows of about `bytes` in all, so a large file's rows are not copied as
    /// they grow.
    pub fn reserve(&mut self, bytes: usize) {
        self.body.reserve(bytes);
    }

    /// The header row.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Adds a row.
    pub fn push_row<'c>(&mut self, cells: impl IntoIterator<Item = &'c str>) {
        if self.rows > 0 {
            self.body.push(ROW);
        }
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.body.push(CELL);
            }
            self.body.push_str(&crate::text::clean(cell));
            self.cells += 1;
        }
        self.rows += 1;
    }

    /// How many rows there are (the header not counted).
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// How many cells the rows hold, up to each row's last filled one.
    pub fn cells(&self) -> usize {
        self.cells
    }

    /// The rows, top to bottom.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        let body = if self.rows == 0 {
            None
        } else {
            Some(self.body.as_str())
        };
        body.into_iter().flat_map(|b| b.split(ROW)).map(Row)
    }

    /// The rows as stored (see [`Table::from_stored`]).
    pub fn body(&self) -> &str {
        &self.body
    }

    /// A table from its header and the rows as [`Table::body`] gave them.
    pub fn from_stored(header: Vec<String>, body: String) -> Table {
        let rows = if body.is_empty() {
            0
        } else {
            body.matches(ROW).count() + 1
        };
        let cells = if body.is_empty() {
            0
        } else {
            body.matches([ROW, CELL]).count() + 1
        };
        Table {
            header,
            body,
            rows,
            cells,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_as_they_went_in_and_are_stored_as_one_text() {
        let mut t = Table::new(vec!["Name".into(), "Email".into()]);
        assert!(t.is_empty() && t.rows().next().is_none());
        t.push_row(["Ana Lane", "ana@example.org"]);
        t.push_row(["", "only@example.org"]);
        t.push_row(["Cal\u{0} Moss"]);
        let rows: Vec<Vec<&str>> = t.rows().map(|r| r.cells().collect()).collect();
        assert_eq!(
            rows,
            [
                vec!["Ana Lane", "ana@example.org"],
                vec!["", "only@example.org"],
                vec!["Cal Moss"]
            ]
        );
        assert_eq!((t.len(), t.cells()), (3, 5));
        assert_eq!(
            t.rows().nth(2).unwrap().cell(1),
            "",
            "past the row's end is empty"
        );
        let back = Table::from_stored(t.header().to_vec(), t.body().to_owned());
        assert_eq!(back, t);
        assert!(Table::from_stored(vec![], String::new()).is_empty());
    }
}
