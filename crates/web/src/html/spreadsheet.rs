//! Reading and writing people as spreadsheets: CSV (any common encoding) and Excel (XLSX).

use std::io::Cursor;

/// The most rows a file may have (after blank rows are left out).
pub const MAX_ROWS: usize = 200_000;
/// The most columns a file may have.
pub const MAX_COLUMNS: usize = 100;
/// The most cells a file may have, counting every cell of every row up to its last filled one.
/// With the row and column caps this bounds the memory a table takes, whatever the file says.
pub const MAX_CELLS: usize = 2_500_000;
/// The most characters a cell may hold: Excel's own limit.
pub const MAX_CELL_CHARS: usize = 32_767;
/// The most text a table may hold. Cells of an Excel file can share one text, so a small file
/// could otherwise make a table of any size.
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// The largest part of an Excel file, unpacked: the first sheet, or all the text it shares.
const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;
/// The largest table of shared text and of styles, unpacked (read whole before any cell).
const MAX_SHARED_BYTES: u64 = 64 * 1024 * 1024;
/// The most an Excel file may unpack to in all.
const MAX_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;
/// The most parts an Excel file may have.
const MAX_PARTS: usize = 10_000;

/// Builds a table row by row, refusing it as soon as it passes a cap, so a file can never make
/// a table bigger than the caps allow. Blank rows are left out; the first row left is the header.
#[derive(Default)]
struct Builder {
    table: Option<Table>,
    /// How much room to make for the rows once the header is read.
    expect_bytes: usize,
}

impl Builder {
    fn push(&mut self, row: &[impl AsRef<str>]) -> Result<(), String> {
        let cells: Vec<&str> = row.iter().map(AsRef::as_ref).collect();
        let filled = cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1);
        if filled > MAX_COLUMNS {
            return Err(too_wide());
        }
        let Some(table) = &mut self.table else {
            let mut table = Table::new(cells[..filled].iter().map(|c| (*c).to_owned()).collect());
            table.reserve(self.expect_bytes);
            self.table = Some(table);
            return Ok(());
        };
        if filled == 0 {
            return Ok(());
        }
        if table.len() == MAX_ROWS {
            return Err(format!(
                "The file has more than {} rows; split it into smaller files",
                thousands(MAX_ROWS)
            ));
        }
        if table.cells() + filled > MAX_CELLS {
            return Err(format!(
                "The file has more than {} cells; split it into smaller files",
                thousands(MAX_CELLS)
            ));
        }
        let bytes: usize = cells[..filled].iter().map(|c| c.len() + 1).sum();
        if table.body().len() + bytes > MAX_TEXT_BYTES {
            return Err(format!(
                "The file holds more than {} MB of text; split it into smaller files",
                MAX_TEXT_BYTES / 1024 / 1024
            ));
        }
        table.push_row(cells[..filled].iter().copied());
        Ok(())
    }

    fn finish(self) -> Option<Table> {
        self.table
    }
}

fn too_wide() -> String {
    format!(
        "The file has more than {} columns; leave out the columns you do not need",
        thousands(MAX_COLUMNS)
    )
}

/// A count as people write it: 200,000.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

pub use coproduce_domain::table::Table;

/// Reads an uploaded CSV or XLSX file. Problems come back in words to show the person.
pub fn read(filename: &str, bytes: &[u8]) -> Result<Table, String> {
    if bytes.is_empty() {
        return Err("The file is empty".to_owned());
    }
    let lower = filename.to_lowercase();
    let zip = bytes.starts_with(b"PK\x03\x04");
    let table = if lower.ends_with(".xlsx") || zip {
        read_xlsx(bytes)?
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") || !lower.contains('.') {
        read_csv(bytes)?
    } else {
        return Err("The file must be a CSV or an Excel (.xlsx) file".to_owned());
    };
    if table.header().iter().all(|h| h.trim().is_empty()) {
        return Err("The first row must name the columns, like Name, Email, Phone".to_owned());
    }
    if table.is_empty() {
        return Err("The file has column names but no people under them".to_owned());
    }
    Ok(table)
}

/// Text from a CSV file's bytes: UTF-8 (with or without a byte-order mark), UTF-16 with a mark,
/// or, failing those, Windows-1252 (what older Excel saves as "CSV").
fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

fn read_csv(bytes: &[u8]) -> Result<Table, String> {
    let text = decode(bytes);
    if text.contains('\u{0}') {
        return Err("The file is not a CSV file: it has binary data in it".to_owned());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // A CSV's rows take no more room than the file.
    let mut table = Builder {
        expect_bytes: text.len(),
        ..Builder::default()
    };
    let mut record = csv::StringRecord::new();
    for i in 0.. {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) if i == 0 => return Err(format!("The first row could not be read: {e}")),
            Err(e) => return Err(format!("Row {} could not be read: {e}", i + 1)),
        }
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        table.push(&cells)?;
    }
    table.finish().ok_or_else(|| "The file is empty".to_owned())
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        // Excel counts days from 30 December 1899.
        Data::DateTime(d) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|start| start.checked_add_days(chrono::Days::new(d.as_f64().max(0.0) as u64)))
            .map(|day| day.to_string())
            .unwrap_or_default(),
        other => other.to_string().trim().to_owned(),
    }
}

/// A cell's text, refused before it is copied when it is longer than any cell can be.
fn cell_ref_text(cell: &calamine::DataRef<'_>) -> Result<String, String> {
    let long = |s: &str| s.len() > MAX_CELL_CHARS && s.chars().count() > MAX_CELL_CHARS;
    match cell {
        calamine::DataRef::SharedString(s) if long(s) => Err(too_long_cell()),
        calamine::DataRef::String(s) if long(s) => Err(too_long_cell()),
        calamine::DataRef::SharedString(s) => Ok(s.trim().to_owned()),
        other => Ok(cell_text(&calamine::Data::from(other.clone()))),
    }
}

fn too_long_cell() -> String {
    format!(
        "A cell holds more than {} characters, more than Excel allows; shorten it",
        thousands(MAX_CELL_CHARS)
    )
}

/// Refuses an Excel file that would unpack to more than we read, before anything is unpacked.
/// The zip reader stops any part at the size it declares, so a part cannot lie its way past.
/// Returns the size of the largest part, the sheet.
fn check_parts(bytes: &[u8]) -> Result<u64, String> {
    let unreadable = || "The file could not be opened as an Excel (.xlsx) file".to_owned();
    let too_big = || {
        "The Excel file unpacks to more than we can read; save it again as a CSV file, or split it"
            .to_owned()
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    if archive.len() > MAX_PARTS {
        return Err(too_big());
    }
    let mut total: u64 = 0;
    let mut largest: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(|_| unreadable())?;
        let size = part.size();
        let name = part.name().map_err(|_| unreadable())?.to_ascii_lowercase();
        let cap = if name.ends_with("sharedstrings.xml") || name.ends_with("styles.xml") {
            MAX_SHARED_BYTES
        } else {
            MAX_PART_BYTES
        };
        total = total.saturating_add(size);
        largest = largest.max(size);
        if size > cap || total > MAX_UNPACKED_BYTES {
            return Err(too_big());
        }
    }
    Ok(largest)
}

/// Reads the first sheet cell by cell, never as a range sized from the extent it declares
/// (a few bytes can declare a sheet of 17 billion cells).
fn read_xlsx(bytes: &[u8]) -> Result<Table, String> {
    use calamine::Reader;
    let sheet_bytes = check_parts(bytes)?;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| "The file could not be opened as an Excel (.xlsx) file".to_owned())?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| "The Excel file has no sheets".to_owned())?;
    let unreadable = |_| "The first sheet of the Excel file could not be read".to_owned();
    let mut cells = book.worksheet_cells_reader(&first).map_err(unreadable)?;
    // The cells' text is well under half the sheet's XML. Room reserved and not filled costs no
    // memory, so the rows are never copied as they grow.
    let mut table = Builder {
        expect_bytes: usize::try_from(sheet_bytes / 2).unwrap_or(0),
        ..Builder::default()
    };
    let mut row: Vec<String> = Vec::new();
    let mut at: Option<u32> = None;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let text = cell_ref_text(cell.get_value())?;
        if text.is_empty() {
            continue;
        }
        if at != Some(r) {
            if at.is_some() {
                table.push(&row)?;
                row.clear();
            }
            at = Some(r);
        }
        let c = c as usize;
        if c >= MAX_COLUMNS {
            return Err(too_wide());
        }
        // Blank rows never reach the table, so a row far down costs nothing in between.
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    if at.is_some() {
        table.push(&row)?;
    }
    table
        .finish()
        .ok_or_else(|| "The Excel file's first sheet is empty".to_owned())
}

/// A cell safe to open in a spreadsheet: text that a spreadsheet would run as a formula gets a
/// leading apostrophe.
fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// A CSV file (UTF-8 with a byte-order mark, so Excel reads it right).
pub fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let mut writer = csv::Writer::from_writer(&mut out);
    writer.write_record(header).ok();
    for row in rows {
        writer.write_record(row.iter().map(|c| safe_cell(c))).ok();
    }
    drop(writer);
    out
}

/// An Excel (.xlsx) file with one sheet.
pub fn xlsx_bytes(sheet: &str, header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let page = book.add_worksheet();
    page.set_name(sheet).map_err(|e| e.to_string())?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        page.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(|e| e.to_string())?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            page.write_string(r as u32 + 1, c as u16, safe_cell(cell))
                .map_err(|e| e.to_string())?;
        }
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_refused_once_its_text_passes_the_cap() {
        let mut table = Builder::default();
        table.push(&["Name"]).expect("the header");
        let cell = "x".repeat(MAX_CELL_CHARS);
        let row = vec![cell.as_str(); MAX_COLUMNS];
        let refused = (0..100).find_map(|_| table.push(&row).err());
        assert!(
            refused.is_some_and(|e| e.contains("more than 64 MB of text")),
            "cells sharing one long text cannot make a table of any size"
        );
    }

    #[test]
    fn csv_in_any_common_encoding_reads_the_same() {
        let utf8 = "Name,Email\nZoë Ünal,zoe@example.org\n,\n"
            .as_bytes()
            .to_vec();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(&utf8);
        let (cp1252, _, _) =
            encoding_rs::WINDOWS_1252.encode("Name,Email\nZoë Ünal,zoe@example.org\n");
        let mut expected = Table::new(vec!["Name".into(), "Email".into()]);
        expected.push_row(["Zoë Ünal", "zoe@example.org"]);
        assert_eq!(read("people.csv", &utf8).unwrap(), expected);
        assert_eq!(read("people.csv", &bom).unwrap(), expected);
        assert_eq!(read("people.csv", &cp1252).unwrap(), expected);
    }

    #[test]
    fn files_that_are_not_tables_get_a_clear_answer() {
        assert_eq!(read("people.csv", b"").unwrap_err(), "The file is empty");
        assert!(read("photo.png", b"\x89PNG....")
            .unwrap_err()
            .contains("CSV or an Excel"));
        assert!(read("people.xlsx", b"PK\x03\x04 not really")
            .unwrap_err()
            .contains("could not be opened"));
        assert!(read("people.csv", b"Name,Email\n")
            .unwrap_err()
            .contains("no people"));
    }

    #[test]
    fn a_table_past_the_cell_cap_is_refused_and_counts_are_written_as_people_write_them() {
        let row = vec!["x"; 50].join(",");
        let rows = MAX_CELLS / 50 + 1;
        let file = format!("{row}\n{}", format!("{row}\n").repeat(rows));
        assert!(read("wide.csv", file.as_bytes())
            .unwrap_err()
            .contains("more than 2,500,000 cells"));
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(200_000), "200,000");
    }

    #[test]
    fn what_we_write_we_can_read_back_and_formulas_are_defused() {
        let rows = vec![vec!["Ana Lane".to_owned(), "=HYPERLINK(\"x\")".to_owned()]];
        let xlsx = xlsx_bytes("People", &["Name", "Note"], &rows).unwrap();
        let back = read("people.xlsx", &xlsx).unwrap();
        assert_eq!(back.header(), ["Name", "Note"]);
        assert_eq!(back.rows().next().unwrap().cell(1), "'=HYPERLINK(\"x\")");
        let csv = csv_bytes(&["Name", "Note"], &rows);
        assert_eq!(
            read("people.csv", &csv)
                .unwrap()
                .rows()
                .next()
                .unwrap()
                .cell(1),
            "'=HYPERLINK(\"x\")"
        );
    }
}
