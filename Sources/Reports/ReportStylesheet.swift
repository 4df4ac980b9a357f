/// The report's own styles, inlined so the file needs nothing else: readable on a screen, and
/// on A4 paper with tables and charts kept whole across page breaks.
enum ReportStylesheet {
    static let css: StaticString = """
    body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;margin:0;line-height:1.45;font-size:16px}
    main{max-width:960px;margin:0 auto;padding:16px 24px 48px}
    h1{font-size:2rem;margin:.5em 0 .25em}h2{font-size:1.5rem;margin:1.6em 0 .4em;border-top:2px solid #0b0c0c;padding-top:.4em}
    h3{font-size:1.2rem;margin:1.2em 0 .3em}
    .meta{color:#484949;margin:0 0 1em}
    .headlines li{margin-bottom:.6em;font-size:1.1rem}
    figure{margin:1em 0}figcaption{font-weight:bold;margin-bottom:.3em}
    svg.chart{display:block;max-width:640px;height:auto}
    table{border-collapse:collapse;margin:.5em 0 1.2em;width:100%;font-size:.95rem}
    caption{text-align:left;font-weight:bold;padding-bottom:.3em}
    th,td{border-bottom:1px solid #b1b4b6;padding:4px 8px;text-align:left;vertical-align:top}
    thead th{border-bottom:2px solid #0b0c0c}
    .numeric{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    th.numeric,td.wraps{white-space:normal}
    .note{color:#484949;font-size:.95rem}
    .suppressed{font-style:italic}
    a{color:#1d70b8}a:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}
    .skip{position:absolute;left:-9999px}.skip:focus{position:static}
    @page{size:A4;margin:14mm 12mm}
    @media print{
      body{font-size:10.5pt}main{max-width:none;padding:0}
      h2{break-before:auto;break-after:avoid}h3{break-after:avoid}
      figure,svg.chart{break-inside:avoid}
      tr,li{break-inside:avoid}thead{display:table-header-group}table.keep{break-inside:avoid}caption{break-after:avoid}
      a{color:#0b0c0c;text-decoration:none}.skip,.screen-only{display:none}
    }
    """
}
