//! The report written out: a CSV file a table, and one self-contained, accessible HTML file
//! (no request leaves it: no scripts, fonts, images or styles from elsewhere).

use crate::tables::{Section, Table};
use std::fmt::Write as _;
use std::path::Path;

/// Writes `{dir}/{table}.csv` for every table.
pub fn write_csvs(sections: &[Section], dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for table in sections.iter().flat_map(|s| &s.tables) {
        let mut w = csv::Writer::from_path(dir.join(format!("{}.csv", table.id)))?;
        w.write_record(&table.headers)?;
        for row in &table.rows {
            w.write_record(row.iter().map(|c| c.plain()))?;
        }
        w.flush()?;
    }
    Ok(())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn table_html(out: &mut String, table: &Table) {
    let _ = write!(out, "<h3 id=\"{}\">{}</h3>\n<p>{}</p>\n", table.id, escape(&table.title), escape(&table.caption));
    if table.rows.is_empty() {
        out.push_str("<p>Nothing to report: no rows.</p>\n");
        return;
    }
    let _ = write!(out, "<div class=\"scroll\" role=\"region\" aria-labelledby=\"{}\" tabindex=\"0\">\n<table>\n<caption>{}</caption>\n<thead><tr>", table.id, escape(&table.title));
    for h in &table.headers {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = match cell {
                crate::tables::Cell::Text(_) => "",
                crate::tables::Cell::Suppressed => " class=\"suppressed\"",
                _ => " class=\"num\"",
            };
            if i == 0 {
                let _ = write!(out, "<th scope=\"row\">{}</th>", escape(&cell.text()));
            } else {
                let _ = write!(out, "<td{class}>{}</td>", escape(&cell.text()));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

/// The report as one HTML page.
pub fn html(title: &str, sections: &[Section]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>{}</title>\n<style>\n\
body {{ font-family: Arial, Helvetica, sans-serif; font-size: 1rem; line-height: 1.5; color: #0b0c0c; background: #fff; margin: 0 auto; max-width: 60rem; padding: 1rem; }}\n\
h1, h2, h3 {{ line-height: 1.25; }}\n\
.scroll {{ overflow-x: auto; }}\n\
.scroll:focus {{ outline: 3px solid #0b0c0c; outline-offset: 2px; }}\n\
table {{ border-collapse: collapse; margin: 0 0 1.5rem; min-width: 100%; }}\n\
caption {{ text-align: left; font-weight: bold; padding: 0.25rem 0; }}\n\
th, td {{ border: 1px solid #505a5f; padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }}\n\
thead th {{ background: #f3f2f1; }}\n\
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}\n\
td.suppressed {{ font-style: italic; }}\n\
nav ul {{ padding-left: 1.25rem; }}\n\
figure {{ margin: 0 0 1.5rem; }}\n\
figcaption {{ font-weight: bold; }}\n\
a {{ color: #1d70b8; }}\n\
</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        escape(title),
        escape(title)
    );
    out.push_str(
        "<p>Members appear only by their codes. A figure that would describe fewer than three members is not shown, and says so.</p>\n<nav aria-label=\"Contents\"><h2>Contents</h2><ul>\n",
    );
    for s in sections {
        let _ = write!(out, "<li>{}<ul>", escape(s.title));
        for t in &s.tables {
            let _ = write!(out, "<li><a href=\"#{}\">{}</a></li>", t.id, escape(&t.title));
        }
        out.push_str("</ul></li>\n");
    }
    out.push_str("</ul></nav>\n");
    for s in sections {
        let _ = write!(out, "<section>\n<h2>{}</h2>\n", escape(s.title));
        if let Some(f) = &s.figure {
            let _ = write!(out, "<figure>\n<figcaption>{}</figcaption>\n{}\n</figure>\n", escape(&f.title), f.svg);
        }
        for t in &s.tables {
            table_html(&mut out, t);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// Writes the report as an Excel workbook: a sheet a table, with its title and what it shows
/// above the headings, numbers as numbers (pounds, MB and days formatted as such) and a
/// suppressed figure as the same words as elsewhere.
pub fn write_xlsx(title: &str, sections: &[Section], path: &Path) -> Result<(), rust_xlsxwriter::XlsxError> {
    use crate::tables::Cell;
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_title(title));
    let bold = Format::new().set_bold();
    let heading = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap();
    let money = Format::new().set_num_format("£#,##0.00");
    let tenths = Format::new().set_num_format("#,##0.0");
    let whole = Format::new().set_num_format("#,##0");
    for table in sections.iter().flat_map(|s| &s.tables) {
        let sheet = book.add_worksheet();
        // Sheet names are at most 31 characters; the tables' ids are shorter.
        sheet.set_name(table.id)?;
        sheet.write_string_with_format(0, 0, &table.title, &heading)?;
        sheet.merge_range(1, 0, 1, (table.headers.len().max(1) - 1) as u16, &table.caption, &wrap)?;
        sheet.set_row_height(1, 45)?;
        for (c, h) in table.headers.iter().enumerate() {
            sheet.write_string_with_format(3, c as u16, h, &bold)?;
            sheet.set_column_width(c as u16, if c == 0 { 30 } else { 18 })?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 4;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => sheet.write_string(r, c, t).map(|_| ())?,
                    Cell::Count(n) => sheet.write_number_with_format(r, c, *n as f64, &whole).map(|_| ())?,
                    Cell::Money(p) => sheet.write_number_with_format(r, c, *p as f64 / 100.0, &money).map(|_| ())?,
                    Cell::Data(b) => {
                        sheet.write_number_with_format(r, c, *b as f64 / 1_048_576.0, &tenths).map(|_| ())?
                    }
                    Cell::Days(d) => sheet.write_number_with_format(r, c, *d, &tenths).map(|_| ())?,
                    Cell::Suppressed => sheet.write_string(r, c, cell.text()).map(|_| ())?,
                    Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(4, 1)?;
    }
    book.save(path)
}

/// Where headless Chromium is: `CHROMIUM_PATH`, else the usual places.
pub fn chromium() -> Option<std::path::PathBuf> {
    std::env::var_os("CHROMIUM_PATH")
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain(
            ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].map(std::path::PathBuf::from),
        )
        .find(|p| p.is_file())
}

/// Prints `html` (a file) to `pdf` with headless Chromium at `browser`: the same page, for
/// officers who circulate a PDF. The page makes no request, so nothing is fetched.
pub fn write_pdf(browser: &Path, html: &Path, pdf: &Path) -> std::io::Result<()> {
    let page = std::fs::canonicalize(html)?;
    let out = std::process::Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-pdf-header-footer"])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()?;
    let made = std::fs::read(pdf).map(|b| b.starts_with(b"%PDF")).unwrap_or(false);
    if out.status.success() && made {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "Chromium did not print the PDF: {}",
            String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("no message")
        )))
    }
}
