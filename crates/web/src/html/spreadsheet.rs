//! Reading and writing people as spreadsheets: CSV (any common encoding) and Excel (XLSX).

use std::io::Cursor;

/// The most rows a file may have.
pub const MAX_ROWS: usize = 200_000;

/// A table read from a file: its header row and the rows under it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// The first row.
    pub header: Vec<String>,
    /// Every other row, as text.
    pub rows: Vec<Vec<String>>,
}

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
    if table.header.iter().all(|h| h.trim().is_empty()) {
        return Err("The first row must name the columns, like Name, Email, Phone".to_owned());
    }
    if table.rows.is_empty() {
        return Err("The file has column names but no people under them".to_owned());
    }
    if table.rows.len() > MAX_ROWS {
        return Err(format!(
            "The file has more than {MAX_ROWS} rows; split it into smaller files"
        ));
    }
    Ok(table)
}

/// Text from a CSV file's bytes: UTF-8 (with or without a byte-order mark), UTF-16 with a mark,
/// or, failing those, Windows-1252 (what older Excel saves as "CSV").
fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
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
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(r)) => r.iter().map(|c| c.trim().to_owned()).collect(),
        Some(Err(e)) => return Err(format!("The first row could not be read: {e}")),
        None => return Err("The file is empty".to_owned()),
    };
    let mut rows = Vec::new();
    for (i, record) in records.enumerate() {
        let record = record.map_err(|e| format!("Row {} could not be read: {e}", i + 2))?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push(record.iter().map(|c| c.trim().to_owned()).collect());
        if rows.len() > MAX_ROWS {
            break;
        }
    }
    Ok(Table { header, rows })
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

fn read_xlsx(bytes: &[u8]) -> Result<Table, String> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| "The file could not be opened as an Excel (.xlsx) file".to_owned())?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| "The Excel file has no sheets".to_owned())?
        .map_err(|_| "The first sheet of the Excel file could not be read".to_owned())?;
    let mut rows = range.rows();
    let header = rows
        .next()
        .map(|r| r.iter().map(cell_text).collect())
        .unwrap_or_default();
    let rows = rows
        .map(|r| r.iter().map(cell_text).collect::<Vec<String>>())
        .filter(|r| r.iter().any(|c| !c.is_empty()))
        .take(MAX_ROWS + 1)
        .collect();
    Ok(Table { header, rows })
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
    fn csv_in_any_common_encoding_reads_the_same() {
        let utf8 = "Name,Email\nZoë Ünal,zoe@example.org\n,\n"
            .as_bytes()
            .to_vec();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(&utf8);
        let (cp1252, _, _) =
            encoding_rs::WINDOWS_1252.encode("Name,Email\nZoë Ünal,zoe@example.org\n");
        let expected = Table {
            header: vec!["Name".into(), "Email".into()],
            rows: vec![vec!["Zoë Ünal".into(), "zoe@example.org".into()]],
        };
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
    fn what_we_write_we_can_read_back_and_formulas_are_defused() {
        let rows = vec![vec!["Ana Lane".to_owned(), "=HYPERLINK(\"x\")".to_owned()]];
        let xlsx = xlsx_bytes("People", &["Name", "Note"], &rows).unwrap();
        let back = read("people.xlsx", &xlsx).unwrap();
        assert_eq!(back.header, ["Name", "Note"]);
        assert_eq!(back.rows[0][1], "'=HYPERLINK(\"x\")");
        let csv = csv_bytes(&["Name", "Note"], &rows);
        assert_eq!(
            read("people.csv", &csv).unwrap().rows[0][1],
            "'=HYPERLINK(\"x\")"
        );
    }
}
