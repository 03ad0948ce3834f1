#!/usr/bin/env bash
# Peak memory of the server through a whole import of the largest files it takes: a 20 MB CSV
# of 200,000 rows and 7 columns, and an Excel file of 200,000 rows and 12 columns (2,400,000
# cells), each uploaded, checked and imported as service staff on a fresh database. The peak
# (VmHWM) is reset once the server is ready; each step's time and the server's peak resident
# memory after it are printed. Needs sqlite3. Usage: bench/import_memory.sh [rows]
source "$(dirname "$0")/lib.sh"
rows=${1:-200000}
build coproduce
scratch
python3 - "$work" "$rows" <<'PY'
import sys, zipfile
work, rows = sys.argv[1], int(sys.argv[2])
header = ["Name", "Email", "Phone", "Address", "Postcode", "Status", "Best times", "Needs", "Interests", "Pronouns", "Preferred name", "Date of birth"]
def row(i):
    return [f"Person {i:06d}", f"person{i:06d}@example.org", f"07{800000000 + i:09d}", f"{i % 400} Harbour Road, Southsea",
            f"PO{1 + i % 9} {i % 10}AB", "active", "Weekday mornings", "Large print", "training, panels", "they/them",
            f"P{i % 97}", f"19{50 + i % 50}-0{1 + i % 9}-1{i % 10}"]
# The CSV keeps the columns that fit 200,000 rows into 20 MB, the most an upload may be.
csv_columns = [0, 1, 2, 4, 5, 8, 11]
with open(f"{work}/people.csv", "w") as f:
    f.write(",".join(header[c] for c in csv_columns) + "\n")
    for i in range(rows):
        values = row(i)
        f.write(",".join(values[c].replace(",", ";") for c in csv_columns) + "\n")
cols = "ABCDEFGHIJKL"
def cells(r, values):
    return "".join(f'<c r="{cols[c]}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in enumerate(values))
with zipfile.ZipFile(f"{work}/people.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    with z.open("xl/worksheets/sheet1.xml", "w") as s:
        s.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">{cells(1, header)}</row>'.encode())
        for i in range(rows):
            s.write(f'<row r="{i + 2}">{cells(i + 2, row(i))}</row>'.encode())
        s.write(b"</sheetData></worksheet>")
PY
now() { date +%s%3N; }
for file in people.csv people.xlsx; do
  # A server as deployed, not the demo (whose seeding leaves its own memory behind): a fresh
  # database with one service and a service staff member in it.
  db="$work/$file.db"
  "$bin" migrate --database "$db" >/dev/null
  sqlite3 "$db" "INSERT INTO services (name, created_at) VALUES ('Learning Disabilities', 0)"
  printf 'kettle lantern orchard velvet' | "$bin" staff add --email tom.reilly@harbourside.example --name "Tom Reilly" \
    --role staff --service "Learning Disabilities" --password-stdin --database "$db" >/dev/null 2>&1
  start_server 400 serve --database "$db" --outbox "file:$work/outbox" 2>>"${BENCH_LOG:-/dev/null}"
  jar="$work/jar-$file"
  sign_in "$jar" tom.reilly@harbourside.example "kettle lantern orchard velvet"
  import_form "$jar"
  echo 5 > "/proc/$server/clear_refs"
  rss=$(awk '/VmRSS/ { print $2 }' "/proc/$server/status")
  peak() { echo $(( $(awk '/VmHWM/ { print $2 }' "/proc/$server/status") / 1024 )); }
  t0=$(now)
  map=$(curl -s -b "$jar" -o /dev/null -w '%{redirect_url}' -F "csrf_token=$token" -F "service_id=$service" -F "file=@$work/$file" "$base/people/import")
  t1=$(now); after_upload=$(peak)
  curl -s -b "$jar" -o "$work/preview.html" -w "preview %{http_code}\n" "$map/preview"
  t2=$(now); after_check=$(peak)
  done_at=$(curl -fs -b "$jar" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf_token=$token" "$map/run")
  t3=$(now); after_import=$(peak)
  size=$(stat -c %s "$work/$file")
  echo "$file: $(( (size + 524288) / 1048576 )) MB, $rows rows; resident $((rss / 1024)) MB before; upload $((t1 - t0)) ms (peak $after_upload MB), check $((t2 - t1)) ms (peak $after_check MB), import $((t3 - t2)) ms (peak $after_import MB) -> ${done_at##*/}"
  stop_server
done
