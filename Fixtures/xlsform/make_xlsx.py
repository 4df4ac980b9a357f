"""Writes asb-where-you-live.xlsx from the three CSV sheets beside it, with openpyxl
(pip install openpyxl): the workbook the .xlsx route of `canvass import xlsform` is tested on.
TRUE/FALSE cells become Excel booleans, so the reader's boolean cells are exercised too."""
import csv, pathlib, openpyxl

here = pathlib.Path(__file__).parent
book = openpyxl.Workbook()
book.remove(book.active)
for name in ["survey", "choices", "settings"]:
    sheet = book.create_sheet(name)
    with open(here / f"{name}.csv", newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            sheet.append([True if c == "TRUE" else False if c == "FALSE" else (c if c != "" else None) for c in row])
book.save(here / "asb-where-you-live.xlsx")

# Excel itself keeps text in a shared string table (xl/sharedStrings.xml) rather than inline, and
# omits the r= attributes at times: write that form too, from the same cells, with a rich-text
# run and a phonetic run as Excel writes them.
import re, zipfile
source = zipfile.ZipFile(here / "asb-where-you-live.xlsx")
strings, index = [], {}
def share(match):
    text = match.group(2)
    if text not in index:
        index[text] = len(strings)
        strings.append(text)
    return f'<c r="{match.group(1)}" t="s"><v>{index[text]}</v></c>'
with zipfile.ZipFile(here / "asb-where-you-live-shared.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
    for item in source.infolist():
        data = source.read(item.filename)
        if item.filename.startswith("xl/worksheets/"):
            data = re.sub(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', share, data.decode()).encode()
        elif item.filename == "[Content_Types].xml":
            data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        elif item.filename == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>", b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        out.writestr(item.filename, data)
    items = []
    for text in strings:
        if text == "Details":  # a rich-text run split in two, and a phonetic run that is not text
            items.append('<si><r><t>Deta</t></r><r><rPr><b/></rPr><t>ils</t></r><rPh sb="0" eb="1"><t>X</t></rPh></si>')
        else:
            items.append(f'<si><t xml:space="preserve">{text}</t></si>')
    out.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
                 + "".join(items) + "</sst>")
